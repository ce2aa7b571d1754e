/** The app itself, loaded by main.tsx once the early start (early-case.ts) has sent its requests. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { SessionProvider } from './app/session';
import { ToastProvider } from './ui/toast';
import './ui/base.css';
import './app/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ToastProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </ToastProvider>
  </StrictMode>,
);
