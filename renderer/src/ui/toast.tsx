import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

type Tone = 'info' | 'ok' | 'error';
interface Toast {
  id: number;
  tone: Tone;
  text: string;
  /** The action the message is about, so its later success can take the error away. */
  source?: string | undefined;
}
interface ToastApi {
  /**
   * Shows a message. `source` names the action (e.g. 'sheet:submit'): a success of the same source
   * clears that action's error, which would otherwise contradict what just happened.
   */
  show(text: string, tone?: Tone, source?: string): void;
  /** Takes away the error of one action (its retry succeeded), or every message (the person logged out). */
  clear(source?: string): void;
}

const ToastContext = createContext<ToastApi>({ show: () => undefined, clear: () => undefined });
export const useToast = (): ToastApi => useContext(ToastContext);

/** How long a success or a notice stays; an error stays until closed, the screen is left or its action succeeds. */
export const TOAST_FADE_MS = 5000;
const ORDER: readonly Tone[] = ['error', 'info', 'ok'];

let nextId = 1;

/** The screen a hash names (its path, not the query a screen keeps its page or search in). */
const screenOf = (hash: string): string => hash.replace(/^#/, '').split('?')[0] ?? '';

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Partial<Record<Tone, Toast>>>({});
  const timers = useRef(new Map<Tone, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((tone: Tone, id?: number) => {
    setToasts((t) => (t[tone] && (id === undefined || t[tone].id === id) ? { ...t, [tone]: undefined } : t));
  }, []);
  const api = useMemo<ToastApi>(
    () => ({
      show(text, tone = 'info', source) {
        const id = nextId++;
        setToasts((t) => ({
          ...t,
          ...(tone !== 'error' && source !== undefined && t.error?.source === source ? { error: undefined } : {}),
          [tone]: { id, tone, text, source },
        }));
        clearTimeout(timers.current.get(tone));
        if (tone !== 'error')
          timers.current.set(
            tone,
            setTimeout(() => dismiss(tone, id), TOAST_FADE_MS),
          );
      },
      clear(source) {
        if (source !== undefined) setToasts((t) => (t.error?.source === source ? { ...t, error: undefined } : t));
        else setToasts({});
      },
    }),
    [dismiss],
  );
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => clearTimeout(t));
  }, []);
  // An error is about the screen it was made on: leaving the screen takes it away (a success, which
  // often comes with the move to the next screen, stays until it fades).
  useEffect(() => {
    let screen = screenOf(window.location.hash);
    const onHash = () => {
      const next = screenOf(window.location.hash);
      if (next === screen) return;
      screen = next;
      setToasts((t) => (t.error ? { ...t, error: undefined } : t));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
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
