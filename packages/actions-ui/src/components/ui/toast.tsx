import * as ToastPrimitive from '@radix-ui/react-toast';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { useKit } from '../../provider';
import { CloseIcon } from './icons';

export type ToastVariant = 'default' | 'success' | 'error';

export interface ToastOptions {
  title: ReactNode;
  description?: ReactNode;
  /** `error` toasts are announced assertively and stay until dismissed; others leave after `duration`. */
  variant?: ToastVariant;
  /** Milliseconds; 5000 unless told (`Infinity` keeps it). */
  duration?: number;
  /** One follow-up, e.g. Undo or Retry. `altText` says how to do the same without the toast. */
  action?: { label: string; altText: string; onClick: () => void };
}

interface ShownToast extends ToastOptions {
  id: number;
}

type ShowToast = (toast: ToastOptions) => void;

const ToastContext = createContext<ShowToast | null>(null);

/**
 * Shows a toast: `const toast = useToast(); toast({ title: 'Saved', variant: 'success' })`.
 * Every component under `ActionsProvider` can use it (the provider holds a `Toaster`).
 */
export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error('`useToast` must be used within `Toaster` (`ActionsProvider` includes one).');
  return show;
}

export interface ToasterProps {
  children?: ReactNode;
  /** The name of the notifications region (screen readers; F8 focuses it). */
  label?: string;
}

/**
 * Radix Toast's provider and viewport in the kit's classes, with a queue behind `useToast`.
 * The viewport sits outside any kit root, so it carries the root class and theme itself.
 */
export function Toaster({ children, label }: ToasterProps) {
  const outer = useContext(ToastContext);
  // A kit provider inside another (or the host's own Toaster) shares the outer queue.
  if (outer) return <>{children}</>;
  return <ToastQueue label={label}>{children}</ToastQueue>;
}

function ToastQueue({ children, label }: ToasterProps) {
  const { theme, translator: t } = useKit();
  const [toasts, setToasts] = useState<ShownToast[]>([]);
  const nextId = useRef(0);
  const show = useCallback<ShowToast>((toast) => {
    nextId.current += 1;
    const id = nextId.current;
    // At most three on screen: the oldest leaves first.
    setToasts((current) => [...current.slice(-2), { ...toast, id }]);
  }, []);
  const close = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastPrimitive.Provider label={label ?? t.t('toast.region')} swipeDirection="right">
      <ToastContext.Provider value={value}>{children}</ToastContext.Provider>
      {toasts.map(({ id, title, description, variant = 'default', duration, action }) => (
        <ToastPrimitive.Root
          key={id}
          open
          onOpenChange={(next) => {
            if (!next) close(id);
          }}
          className="aihio-toast"
          data-slot="toast"
          data-variant={variant}
          type={variant === 'error' ? 'foreground' : 'background'}
          duration={duration ?? (variant === 'error' ? Number.POSITIVE_INFINITY : 5000)}
        >
          <div className="aihio-toast-text">
            <ToastPrimitive.Title className="aihio-toast-title" data-slot="toast-title">
              {title}
            </ToastPrimitive.Title>
            {description ? (
              <ToastPrimitive.Description className="aihio-toast-description" data-slot="toast-description">
                {description}
              </ToastPrimitive.Description>
            ) : null}
          </div>
          {action ? (
            <ToastPrimitive.Action altText={action.altText} asChild>
              <button
                type="button"
                className="aihio-button"
                data-variant="secondary"
                data-size="sm"
                onClick={action.onClick}
              >
                {action.label}
              </button>
            </ToastPrimitive.Action>
          ) : null}
          <ToastPrimitive.Close
            className="aihio-toast-close"
            aria-label={t.t('common.close')}
            data-slot="toast-close"
          >
            <CloseIcon />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport
        className="aihio-root aihio-toast-viewport"
        data-theme={theme}
        data-slot="toast-viewport"
      />
    </ToastPrimitive.Provider>
  );
}
