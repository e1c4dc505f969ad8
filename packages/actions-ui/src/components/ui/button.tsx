import { Slot } from '@radix-ui/react-slot';
import { type ComponentPropsWithoutRef, forwardRef, type MouseEvent } from 'react';
import { cx } from './cx';

export type ButtonVariant =
  | 'primary'
  | 'secondary'
  | 'outline'
  | 'ghost'
  | 'destructive'
  | 'destructive-outline'
  | 'link';
export type ButtonSize = 'sm' | 'md' | 'icon';

export interface ButtonProps extends ComponentPropsWithoutRef<'button'> {
  /** `secondary` unless told. One look per variant everywhere in the kit. */
  variant?: ButtonVariant;
  size?: ButtonSize;
  /**
   * Work in progress (saving, running a test): the button says so (`aria-busy`) and ignores
   * clicks, but stays focusable (`aria-disabled`, not `disabled`), so focus never falls to
   * `<body>` while it runs.
   */
  pending?: boolean;
  /** Render the child element (a link, a Radix trigger) with the button's look (Radix Slot). */
  asChild?: boolean;
}

/** The kit's one button: `<Button variant="primary">Save</Button>`. */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  {
    variant = 'secondary',
    size = 'md',
    pending = false,
    asChild = false,
    className,
    onClick,
    type,
    ...props
  },
  ref,
) {
  const Comp = asChild ? Slot : 'button';
  return (
    <Comp
      {...props}
      ref={ref}
      // A button in a form submits by default; the kit's buttons never do unless told.
      type={asChild ? undefined : (type ?? 'button')}
      className={cx('aihio-button', className)}
      data-slot="button"
      data-variant={variant}
      data-size={size}
      aria-busy={pending || undefined}
      aria-disabled={pending || props['aria-disabled'] || undefined}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        if (pending) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    />
  );
});
