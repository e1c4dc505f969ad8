import * as CheckboxPrimitive from '@radix-ui/react-checkbox';
import { type ComponentPropsWithoutRef, type ElementRef, forwardRef } from 'react';
import { cx } from './cx';
import { CheckIcon } from './icons';

/**
 * A checkbox (`role="checkbox"`, Radix) that looks the same in every browser and theme:
 * `checked` / `defaultChecked` / `onCheckedChange(checked)`. Label it with `<label htmlFor>`.
 */
export const Checkbox = forwardRef<
  ElementRef<typeof CheckboxPrimitive.Root>,
  ComponentPropsWithoutRef<typeof CheckboxPrimitive.Root>
>(function Checkbox({ className, ...props }, ref) {
  return (
    <CheckboxPrimitive.Root
      ref={ref}
      className={cx('aihio-checkbox-control', className)}
      data-slot="checkbox"
      {...props}
    >
      <CheckboxPrimitive.Indicator className="aihio-checkbox-indicator" data-slot="checkbox-indicator">
        <CheckIcon />
      </CheckboxPrimitive.Indicator>
    </CheckboxPrimitive.Root>
  );
});
