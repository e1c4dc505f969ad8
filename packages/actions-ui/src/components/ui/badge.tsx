import type { ComponentPropsWithoutRef } from 'react';
import { cx } from './cx';

export type BadgeVariant = 'default' | 'success' | 'warning' | 'error' | 'info' | 'outline';

export interface BadgeProps extends ComponentPropsWithoutRef<'span'> {
  variant?: BadgeVariant;
}

/** A short status label. It never shrinks below its text, so a crowded row wraps instead. */
export function Badge({ variant = 'default', className, ...props }: BadgeProps) {
  return (
    <span className={cx('aihio-badge', className)} data-slot="badge" data-variant={variant} {...props} />
  );
}
