/**
 * The OCR engine's identity, apart from the engine itself: the service in the main thread stores it
 * with every result without loading onnxruntime and the canvas (some 45 MB the back end would hold
 * for nothing; the engine runs in its own thread).
 */

/** Engine identity stored with every result: a result is reused only for the same models and pipeline. */
export const OCR_ENGINE_ID = 'ppocrv4-ch';
/** Models package version + revision of our own pipeline (pre/post-processing and its settings). */
export const OCR_ENGINE_VERSION = '1.4.2+1';
