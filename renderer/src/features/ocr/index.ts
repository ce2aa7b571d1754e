/** What the OCR feature offers the other features: the reader's text layer, its data, the progress line. */
export { OcrTextLayer, type OcrLayerGeometry } from './OcrTextLayer';
export { useOcrPages, type OcrPagesOfFile } from './use-ocr-pages';
export { OcrPageNote } from './OcrPageNote';
export { OcrCampaignBar, OcrCaseCell, ocrByCase, useOcrStatus } from './OcrProgress';
