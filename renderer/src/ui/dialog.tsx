import { useEffect, useRef, type ReactNode } from 'react';

/** A modal on the native <dialog>: focus is trapped, Esc closes, the page behind is inert. */
export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  width?: number;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (props.open && !el.open) {
      el.showModal();
      // showModal focuses the first button, often the footer's, and scrolls a long dialog down to it:
      // a dialog opens at its top, where its text starts.
      el.scrollTop = 0;
      el.querySelector('.body')?.scrollTo(0, 0);
    }
    if (!props.open && el.open) el.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-label={props.title}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      style={props.width ? { width: `min(${props.width}px, 94vw)` } : undefined}
    >
      {props.open && (
        <>
          <header>
            <h2>{props.title}</h2>
          </header>
          <div className="body">{props.children}</div>
          {props.footer && <footer>{props.footer}</footer>}
        </>
      )}
    </dialog>
  );
}
