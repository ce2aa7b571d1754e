/**
 * The app's own date field: yyyy-mm-dd whatever the browser's locale (a browser's date input shows
 * mm/dd/yyyy on an English system), typed or picked from a Chinese calendar. Keyboard: ↓ or Alt+↓
 * opens the calendar; in it the arrows move by day and week, PageUp/PageDown by month (with Shift by
 * year), Home/End to the week's ends, Enter picks, Esc closes. An impossible day is refused with the
 * reason beside the field; the form's own validity keeps it from being submitted, without the browser's bubble.
 */
import { useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { addDaysIso, addMonthsIso, daysInMonth, isoDay, parseDayInput, weekdayMondayFirst } from '../../../shared/core/dates';
import './date-field.css';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

function localToday(): string {
  const d = new Date();
  return isoDay(d.getFullYear(), d.getMonth() + 1, d.getDate());
}

export interface DateFieldProps {
  /** yyyy-mm-dd, or '' for none. */
  value: string;
  /** Called with a valid yyyy-mm-dd, or '' when cleared; never with an impossible day. */
  onChange(value: string): void;
  'aria-label'?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  id?: string;
  disabled?: boolean;
  required?: boolean;
  /** Shown while empty (e.g. the day that applies when none is given). */
  placeholder?: string;
  style?: CSSProperties;
  className?: string;
}

export function DateField(props: DateFieldProps) {
  const [text, setText] = useState(props.value);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(props.value || localToday());
  const input = useRef<HTMLInputElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const uid = useId();

  // A new value from outside (a reset, a loaded record) replaces what was typed — unless it is what
  // the typed text already says (then the person's spelling stays while they type).
  const typed = useRef(text);
  typed.current = text;
  useEffect(() => {
    const now = parseDayInput(typed.current);
    if ((now.kind === 'day' ? now.iso : now.kind === 'empty' ? '' : null) === props.value) return;
    setText(props.value);
    setError(null);
  }, [props.value]);
  useEffect(() => {
    input.current?.setCustomValidity(error ?? '');
  }, [error]);
  useEffect(() => {
    if (open) grid.current?.querySelector<HTMLElement>('[data-active="true"]')?.focus();
  }, [open, active]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!wrapper.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  function commit(raw: string): void {
    const parsed = parseDayInput(raw);
    if (parsed.kind === 'error') {
      setError(parsed.message);
      return;
    }
    setError(null);
    const next = parsed.kind === 'day' ? parsed.iso : '';
    setText(next);
    if (next !== props.value) props.onChange(next);
  }

  function pick(iso: string): void {
    setOpen(false);
    setError(null);
    setText(iso);
    if (iso !== props.value) props.onChange(iso);
    input.current?.focus();
  }

  function openCalendar(): void {
    const parsed = parseDayInput(text);
    setActive(parsed.kind === 'day' ? parsed.iso : props.value || localToday());
    setOpen(true);
  }

  function onInputKey(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown' || (e.altKey && e.key === 'ArrowDown')) {
      e.preventDefault();
      openCalendar();
    } else if (e.key === 'Enter') {
      // Enter both settles what was typed and, when it is valid, lets the form submit as usual.
      const parsed = parseDayInput(text);
      commit(text);
      if (parsed.kind === 'error') e.preventDefault();
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  }

  function onGridKey(e: KeyboardEvent<HTMLDivElement>): void {
    const moves: Record<string, () => string> = {
      ArrowLeft: () => addDaysIso(active, -1),
      ArrowRight: () => addDaysIso(active, 1),
      ArrowUp: () => addDaysIso(active, -7),
      ArrowDown: () => addDaysIso(active, 7),
      PageUp: () => addMonthsIso(active, e.shiftKey ? -12 : -1),
      PageDown: () => addMonthsIso(active, e.shiftKey ? 12 : 1),
      Home: () => addDaysIso(active, -weekdayMondayFirst(active)),
      End: () => addDaysIso(active, 6 - weekdayMondayFirst(active)),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      setActive(move());
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      input.current?.focus();
    }
  }

  const [y, m] = active.split('-').map(Number) as [number, number];
  const first = isoDay(y, m, 1);
  const lead = weekdayMondayFirst(first);
  const count = daysInMonth(y, m);
  const cells: Array<string | null> = [...Array<null>(lead).fill(null), ...Array.from({ length: count }, (_, i) => isoDay(y, m, i + 1))];
  while (cells.length % 7) cells.push(null);
  const today = localToday();
  const errorId = `${uid}-date-error`;
  const describedBy = [props['aria-describedby'], error ? errorId : null].filter(Boolean).join(' ') || undefined;

  return (
    <div className={`date-field ${props.className ?? ''}`} ref={wrapper} style={props.style}>
      <div className="date-field-row">
        <input
          ref={input}
          id={props.id}
          className="input date-field-input"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          placeholder={props.placeholder ?? '年-月-日'}
          value={text}
          disabled={props.disabled}
          required={props.required}
          aria-label={props['aria-label']}
          aria-describedby={describedBy}
          aria-invalid={error ? true : props['aria-invalid']}
          aria-haspopup="dialog"
          aria-expanded={open}
          onChange={(e) => {
            setText(e.target.value);
            if (error) setError(null);
            // A complete yyyy-mm-dd counts at once, as a browser's date input would.
            const parsed = parseDayInput(e.target.value);
            if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value.trim()) && parsed.kind === 'day' && parsed.iso !== props.value)
              props.onChange(parsed.iso);
          }}
          onBlur={() => commit(text)}
          onKeyDown={onInputKey}
          // The form still refuses to submit an impossible day, but says why only once, beside the
          // field in Chinese — not again in the browser's own bubble on top of it.
          onInvalid={(e) => {
            e.preventDefault();
            if (!error && props.required && !text.trim()) setError('请填写日期');
          }}
        />
        <button
          type="button"
          className="date-field-button"
          aria-label="打开日历"
          title="打开日历（↓）"
          disabled={props.disabled}
          onClick={() => (open ? setOpen(false) : openCalendar())}
        >
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path
              fill="currentColor"
              d="M4 1h1.5v1.5h5V1H12v1.5h2A1 1 0 0 1 15 3.5v10a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1v-10a1 1 0 0 1 1-1h2V1Zm-1.5 5v7h11V6h-11Zm1.5 1.5h2v2H4v-2Zm3 0h2v2H7v-2Zm3 0h2v2h-2v-2Z"
            />
          </svg>
        </button>
      </div>
      {error && (
        <small className="date-field-error" id={errorId} role="alert">
          {error}
        </small>
      )}
      {open && (
        <div className="date-calendar" role="dialog" aria-label={`选择${props['aria-label'] ?? '日期'}`}>
          <div className="date-calendar-head">
            <button
              type="button"
              className="date-nav"
              aria-label="上个月"
              title="上个月（PageUp）"
              onClick={() => setActive(addMonthsIso(active, -1))}
            >
              ‹
            </button>
            <strong aria-live="polite">
              {y}年{m}月
            </strong>
            <button
              type="button"
              className="date-nav"
              aria-label="下个月"
              title="下个月（PageDown）"
              onClick={() => setActive(addMonthsIso(active, 1))}
            >
              ›
            </button>
          </div>
          <div className="date-grid" role="grid" ref={grid} onKeyDown={onGridKey}>
            <div className="date-row" role="row">
              {WEEKDAYS.map((w) => (
                <span key={w} role="columnheader" className="date-weekday">
                  {w}
                </span>
              ))}
            </div>
            {Array.from({ length: cells.length / 7 }, (_, row) => (
              <div className="date-row" role="row" key={row}>
                {cells.slice(row * 7, row * 7 + 7).map((iso, i) =>
                  iso ? (
                    <button
                      key={iso}
                      type="button"
                      role="gridcell"
                      className="date-day"
                      data-active={iso === active}
                      data-today={iso === today || undefined}
                      aria-selected={iso === props.value}
                      aria-label={`${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8))}日${iso === today ? '（今天）' : ''}`}
                      tabIndex={iso === active ? 0 : -1}
                      onClick={() => pick(iso)}
                    >
                      {Number(iso.slice(8))}
                    </button>
                  ) : (
                    <span key={`x${i}`} className="date-day date-day-blank" role="gridcell" />
                  ),
                )}
              </div>
            ))}
          </div>
          <div className="date-calendar-foot">
            <button type="button" className="btn btn-sm" onClick={() => pick(today)}>
              今天
            </button>
            {!props.required && (
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => {
                  setOpen(false);
                  commit('');
                  input.current?.focus();
                }}
              >
                清除
              </button>
            )}
            <span className="muted small">方向键选日，PageUp/PageDown 换月，Enter 选定，Esc 关闭</span>
          </div>
        </div>
      )}
    </div>
  );
}
