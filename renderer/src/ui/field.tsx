import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';

/**
 * A labelled form control. The label names the control; the hint and the error describe it
 * (aria-describedby), so screen readers and tests find the field by its label alone.
 */
export function Field(props: { label: string; error?: string | null | undefined; hint?: string; children: ReactNode; className?: string }) {
  const id = useId();
  const describedBy = props.error ? `${id}-error` : props.hint ? `${id}-hint` : undefined;
  const control = isValidElement(props.children)
    ? cloneElement(props.children as ReactElement<Record<string, unknown>>, {
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(props.error ? { 'aria-invalid': true } : {}),
      })
    : props.children;
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label>
        <span>{props.label}</span>
        {control}
      </label>
      {props.hint && !props.error && (
        <small className="hint" id={`${id}-hint`}>
          {props.hint}
        </small>
      )}
      {props.error && (
        <small className="error" id={`${id}-error`} role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}
