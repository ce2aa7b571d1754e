/**
 * The entry: tiny on purpose. It asks who is logged in and, on a case, early-case.ts starts pdf.js's
 * worker, pdf.js itself and the file; the app (React, the screens) is a chunk of its own, so those
 * requests leave while it is still being fetched and compiled instead of after it has been evaluated.
 */
import './app/early-session';
import './reader/early-case';

// The app's chunks are already being fetched and compiled (index.html preloads them, vite.config.ts).
void import('./app-root');
