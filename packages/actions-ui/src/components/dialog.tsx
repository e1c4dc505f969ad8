import * as DialogPrimitive from '@radix-ui/react-dialog';
import { type ReactNode, useLayoutEffect, useRef } from 'react';
import { useKit, useTranslator } from '../provider';
import { Button } from './ui/button';

export interface KitDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** `alertdialog` for confirmations that interrupt (delete, discard). */
  role?: 'dialog' | 'alertdialog';
}

/**
 * Radix Dialog dressed in the kit's classes. The portal leaves the kit's root, so the overlay and
 * content carry the root class and theme themselves (styles.css scopes everything under it).
 */
export function KitDialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  role = 'dialog',
}: KitDialogProps) {
  const { theme } = useKit();
  const t = useTranslator();
  // Opened from state rather than a Radix Trigger, so remember what to give focus back to.
  const returnFocus = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (open && document.activeElement instanceof HTMLElement) returnFocus.current = document.activeElement;
  }, [open]);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay
          className="aihio-root aihio-dialog-overlay"
          data-theme={theme}
          data-slot="dialog-overlay"
        />
        <DialogPrimitive.Content
          className="aihio-root aihio-dialog"
          data-theme={theme}
          data-slot="dialog-content"
          role={role}
          onCloseAutoFocus={(event) => {
            if (returnFocus.current?.isConnected) {
              event.preventDefault();
              returnFocus.current.focus();
            }
          }}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <DialogPrimitive.Title className="aihio-dialog-title" data-slot="dialog-title">
            {title}
          </DialogPrimitive.Title>
          {description ? (
            <DialogPrimitive.Description className="aihio-dialog-description" data-slot="dialog-description">
              {description}
            </DialogPrimitive.Description>
          ) : null}
          {children}
          <DialogPrimitive.Close
            className="aihio-dialog-close"
            aria-label={t.t('common.close')}
            data-slot="dialog-close"
          >
            <span aria-hidden="true">×</span>
          </DialogPrimitive.Close>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => void;
  /** Styles the confirm button as destructive. */
  destructive?: boolean;
  pending?: boolean;
}

/** A confirmation in an alert dialog; focus starts on Cancel, the safe choice. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  body,
  confirmLabel,
  cancelLabel,
  onConfirm,
  destructive = false,
  pending = false,
}: ConfirmDialogProps) {
  const t = useTranslator();
  return (
    <KitDialog open={open} onOpenChange={onOpenChange} title={title} description={body} role="alertdialog">
      <div className="aihio-dialog-actions" data-slot="dialog-actions">
        <DialogPrimitive.Close asChild>
          <Button variant="secondary">{cancelLabel ?? t.t('common.cancel')}</Button>
        </DialogPrimitive.Close>
        <Button variant={destructive ? 'destructive' : 'primary'} onClick={onConfirm} pending={pending}>
          {confirmLabel}
        </Button>
      </div>
    </KitDialog>
  );
}
