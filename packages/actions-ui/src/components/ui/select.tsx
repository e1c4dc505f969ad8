import * as SelectPrimitive from '@radix-ui/react-select';
import { type ComponentPropsWithoutRef, type ElementRef, forwardRef } from 'react';
import { useKit } from '../../provider';
import { cx } from './cx';
import { CheckIcon, ChevronDownIcon } from './icons';

/**
 * A listbox select on Radix (typeahead, keyboard, a popup that fits narrow screens), in shadcn's
 * parts: `<Select><SelectTrigger id aria-describedby><SelectValue /></SelectTrigger>
 * <SelectContent><SelectItem value="GET">GET</SelectItem>…</SelectContent></Select>`.
 * Label it with `<label htmlFor>` on the trigger's id, as a native select.
 */
export const Select = SelectPrimitive.Root;
export const SelectGroup = SelectPrimitive.Group;
export const SelectValue = SelectPrimitive.Value;

export const SelectTrigger = forwardRef<
  ElementRef<typeof SelectPrimitive.Trigger>,
  ComponentPropsWithoutRef<typeof SelectPrimitive.Trigger>
>(function SelectTrigger({ className, children, ...props }, ref) {
  return (
    <SelectPrimitive.Trigger
      ref={ref}
      className={cx('aihio-select-trigger', className)}
      data-slot="select-trigger"
      {...props}
    >
      {children}
      <SelectPrimitive.Icon asChild>
        <ChevronDownIcon className="aihio-select-icon" />
      </SelectPrimitive.Icon>
    </SelectPrimitive.Trigger>
  );
});

/**
 * The popup. It is portalled out of the kit's root, so it carries the root class and theme
 * itself (styles.css scopes everything under `.aihio-root`). `popper` keeps it below the trigger
 * and as wide as it, which reads better on a phone than Radix's item-aligned default.
 */
export const SelectContent = forwardRef<
  ElementRef<typeof SelectPrimitive.Content>,
  ComponentPropsWithoutRef<typeof SelectPrimitive.Content>
>(function SelectContent({ className, children, position = 'popper', sideOffset = 4, ...props }, ref) {
  const { theme } = useKit();
  return (
    <SelectPrimitive.Portal>
      <SelectPrimitive.Content
        ref={ref}
        className={cx('aihio-root aihio-select-content', className)}
        data-theme={theme}
        data-slot="select-content"
        position={position}
        sideOffset={position === 'popper' ? sideOffset : undefined}
        {...props}
      >
        <SelectPrimitive.Viewport className="aihio-select-viewport" data-slot="select-viewport">
          {children}
        </SelectPrimitive.Viewport>
      </SelectPrimitive.Content>
    </SelectPrimitive.Portal>
  );
});

export const SelectLabel = forwardRef<
  ElementRef<typeof SelectPrimitive.Label>,
  ComponentPropsWithoutRef<typeof SelectPrimitive.Label>
>(function SelectLabel({ className, ...props }, ref) {
  return (
    <SelectPrimitive.Label
      ref={ref}
      className={cx('aihio-select-label', className)}
      data-slot="select-label"
      {...props}
    />
  );
});

export const SelectItem = forwardRef<
  ElementRef<typeof SelectPrimitive.Item>,
  ComponentPropsWithoutRef<typeof SelectPrimitive.Item>
>(function SelectItem({ className, children, ...props }, ref) {
  return (
    <SelectPrimitive.Item
      ref={ref}
      className={cx('aihio-select-item', className)}
      data-slot="select-item"
      {...props}
    >
      <SelectPrimitive.ItemText>{children}</SelectPrimitive.ItemText>
      <SelectPrimitive.ItemIndicator className="aihio-select-indicator">
        <CheckIcon />
      </SelectPrimitive.ItemIndicator>
    </SelectPrimitive.Item>
  );
});

export const SelectSeparator = forwardRef<
  ElementRef<typeof SelectPrimitive.Separator>,
  ComponentPropsWithoutRef<typeof SelectPrimitive.Separator>
>(function SelectSeparator({ className, ...props }, ref) {
  return (
    <SelectPrimitive.Separator
      ref={ref}
      className={cx('aihio-select-separator', className)}
      data-slot="select-separator"
      {...props}
    />
  );
});
