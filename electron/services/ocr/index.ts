/** What other features use of OCR: the service, and where a search match sits among a page's lines. */
export { OcrService, lineOfMatch, ocrIndexText, OCR_ENGINE_KEY, type OcrServiceOptions } from './ocr-service.js';
export { storedOcrLines } from './repo.js';
