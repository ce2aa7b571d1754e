/**
 * The entry: tiny on purpose. On a case, early-case.ts starts pdf.js's worker and asks for the file;
 * the app (React, pdf.js, the screens) is a chunk of its own, so those requests leave while it is
 * still being fetched and compiled instead of after it has been evaluated.
 */
import './reader/early-case';

void import('./app-root');
