import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslator } from '../../provider';
import { ConfirmDialog } from '../dialog';

export interface UnsavedChangesDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The owner chose to discard the changes and go on. */
  onDiscard: () => void;
}

/** "Discard unsaved changes?": the one confirmation the editor and the host's navigation share. */
export function UnsavedChangesDialog({ open, onOpenChange, onDiscard }: UnsavedChangesDialogProps) {
  const t = useTranslator();
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={t.t('editor.discard.title')}
      body={t.t('editor.discard.body')}
      confirmLabel={t.t('editor.discard.confirm')}
      cancelLabel={t.t('editor.discard.keep')}
      destructive
      onConfirm={onDiscard}
    />
  );
}

export interface UnsavedChangesGuard {
  /**
   * Runs `proceed` at once when nothing is unsaved; otherwise asks first and runs it only when the
   * owner discards. Call it from every navigation the host makes (links, tabs, back).
   */
  guard: (proceed: () => void) => void;
  /** Whether the dialog is open (a navigation is waiting for the owner). */
  pending: boolean;
  /** Render this once (it is the dialog). */
  dialog: ReactNode;
}

/**
 * The unsaved-changes guard for a host's router: pass whether the editor has unsaved changes
 * (`ActionEditor`'s `onDirtyChange`), call `guard(navigate)` on every navigation, render `dialog`.
 */
export function useUnsavedChangesGuard(dirty: boolean): UnsavedChangesGuard {
  const [pending, setPending] = useState<(() => void) | null>(null);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const guard = useCallback((proceed: () => void) => {
    if (dirtyRef.current) setPending(() => proceed);
    else proceed();
  }, []);
  return {
    guard,
    pending: pending !== null,
    dialog: (
      <UnsavedChangesDialog
        open={pending !== null}
        onOpenChange={(open) => {
          if (!open) setPending(null);
        }}
        onDiscard={() => {
          const proceed = pending;
          setPending(null);
          proceed?.();
        }}
      />
    ),
  };
}
