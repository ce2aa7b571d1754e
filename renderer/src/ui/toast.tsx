import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

type Tone = 'info' | 'ok' | 'error';
interface Toast { id: number; tone: Tone; text: string }
interface ToastApi { show(text: string, tone?: Tone): void }

const ToastContext = createContext<ToastApi>({ show: () => undefined });
export const useToast = (): ToastApi => useContext(ToastContext);

let nextId = 1;

/** Short messages in a live region; errors stay until dismissed, the rest fade after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      show(text, tone = 'info') {
        const id = nextId++;
        setToasts((t) => [...t.slice(-3), { id, tone, text }]);
        if (tone !== 'error') setTimeout(() => dismiss(id), 4000);
      },
    }),
    [dismiss],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast ${t.tone}`} role={t.tone === 'error' ? 'alert' : undefined}>
            <div style={{ flex: 1 }}>{t.text}</div>
            <button type="button" aria-label="关闭提示" onClick={() => dismiss(t.id)}>×</button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
