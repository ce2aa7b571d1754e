import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

type Tone = 'info' | 'ok' | 'error';
interface Toast {
  id: number;
  tone: Tone;
  text: string;
}
interface ToastApi {
  show(text: string, tone?: Tone): void;
}

const ToastContext = createContext<ToastApi>({ show: () => undefined });
export const useToast = (): ToastApi => useContext(ToastContext);

/** How long a success or a notice stays; an error stays until the person closes it. */
export const TOAST_FADE_MS = 5000;
const ORDER: readonly Tone[] = ['error', 'info', 'ok'];

let nextId = 1;

/**
 * Short messages in a strip of their own below the screen (the screen above shrinks to make room), so a
 * message never lies over the button or the form error it is about. One message per kind: a new error
 * replaces the previous error instead of piling up; errors stay until dismissed, the rest fade.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Partial<Record<Tone, Toast>>>({});
  const timers = useRef(new Map<Tone, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((tone: Tone, id?: number) => {
    setToasts((t) => (t[tone] && (id === undefined || t[tone].id === id) ? { ...t, [tone]: undefined } : t));
  }, []);
  const api = useMemo<ToastApi>(
    () => ({
      show(text, tone = 'info') {
        const id = nextId++;
        setToasts((t) => ({ ...t, [tone]: { id, tone, text } }));
        clearTimeout(timers.current.get(tone));
        if (tone !== 'error')
          timers.current.set(
            tone,
            setTimeout(() => dismiss(tone, id), TOAST_FADE_MS),
          );
      },
    }),
    [dismiss],
  );
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => clearTimeout(t));
  }, []);
  const shown = ORDER.map((tone) => toasts[tone]).filter((t): t is Toast => !!t);
  return (
    <ToastContext.Provider value={api}>
      <div className="toast-frame">
        <div className="toast-frame-body">{children}</div>
        <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
          {shown.map((t) => (
            <div key={t.id} className={`toast ${t.tone}`} role={t.tone === 'error' ? 'alert' : undefined} data-tone={t.tone}>
              <div style={{ flex: 1 }}>{t.text}</div>
              <button type="button" aria-label="关闭提示" title="关闭提示" onClick={() => dismiss(t.tone, t.id)}>
                ×
              </button>
            </div>
          ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}
