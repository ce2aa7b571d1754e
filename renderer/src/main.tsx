/**
 * The entry: tiny on purpose. It asks who is logged in and, on a case, early-case.ts starts pdf.js's
 * worker, pdf.js itself and the file; the app (React, the screens) is a chunk of its own, so those
 * requests leave while it is still being fetched and compiled instead of after it has been evaluated.
 */
import './app/early-session';
import { earlyPdfjs } from './features/dossiers/early-case';

// On a case, the app is evaluated after pdf.js (which then hands over the file without waiting for the
// app's long evaluation); elsewhere at once.
void earlyPdfjs.then(() => import('./app-root'));
