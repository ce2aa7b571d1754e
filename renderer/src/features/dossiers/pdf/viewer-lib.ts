// Order matters: './pdfjs' publishes globalThis.pdfjsLib before pdf_viewer.mjs is evaluated.
import './pdfjs';
export { EventBus, PDFLinkService, PDFViewer, PDFFindController, RenderingStates } from 'pdfjs-dist/web/pdf_viewer.mjs';
import 'pdfjs-dist/web/pdf_viewer.css';
