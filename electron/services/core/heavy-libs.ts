/**
 * The document libraries (spreadsheets, Word files) weigh megabytes once loaded and are needed only
 * when someone exports, imports or issues a document. They are loaded on first use, so a workstation
 * that only reads and scores files does not carry them.
 */
import type * as Docx from 'docx';
import type ExcelJS from 'exceljs';

export const loadExcel = async (): Promise<typeof ExcelJS> => (await import('exceljs')).default;
export const loadDocx = async (): Promise<typeof Docx> => import('docx');
