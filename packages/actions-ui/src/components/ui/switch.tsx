import * as SwitchPrimitive from '@radix-ui/react-switch';
import { type ComponentPropsWithoutRef, type ElementRef, forwardRef } from 'react';
import { cx } from './cx';

/**
 * An on/off switch (`role="switch"`, Radix): `checked` / `defaultChecked` / `onCheckedChange`.
 * Name it with `aria-label` or a `<label htmlFor>`. Its size is fixed (it never shrinks in a
 * crowded flex row).
 */
export const Switch = forwardRef<
  ElementRef<typeof SwitchPrimitive.Root>,
  ComponentPropsWithoutRef<typeof SwitchPrimitive.Root>
>(function Switch({ className, ...props }, ref) {
  return (
    <SwitchPrimitive.Root ref={ref} className={cx('aihio-switch', className)} data-slot="switch" {...props}>
      <SwitchPrimitive.Thumb className="aihio-switch-thumb" data-slot="switch-thumb" />
    </SwitchPrimitive.Root>
  );
});
