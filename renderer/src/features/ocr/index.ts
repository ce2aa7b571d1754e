/** What the OCR feature offers the other features: the reader's text layer, its data, the progress line. */
export { OcrTextLayer, type OcrLayerGeometry } from './OcrTextLayer';
export { useOcrPages } from './use-ocr-pages';
export { OcrCampaignBar, OcrCaseCell, ocrByCase, useOcrStatus } from './OcrProgress';
