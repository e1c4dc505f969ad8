import * as RadioGroupPrimitive from '@radix-ui/react-radio-group';
import { type ComponentPropsWithoutRef, type ElementRef, forwardRef, type ReactNode } from 'react';
import { cx } from './cx';

/**
 * A radio group on Radix (arrow keys move and select, one tab stop): `value` / `defaultValue` /
 * `onValueChange`. Name the group with `aria-labelledby` (or `aria-label`).
 */
export const RadioGroup = forwardRef<
  ElementRef<typeof RadioGroupPrimitive.Root>,
  ComponentPropsWithoutRef<typeof RadioGroupPrimitive.Root>
>(function RadioGroup({ className, ...props }, ref) {
  return (
    <RadioGroupPrimitive.Root
      ref={ref}
      className={cx('aihio-radio-group', className)}
      data-slot="radio-group"
      {...props}
    />
  );
});

/** A plain radio; label it with `<label htmlFor>`. */
export const RadioGroupItem = forwardRef<
  ElementRef<typeof RadioGroupPrimitive.Item>,
  ComponentPropsWithoutRef<typeof RadioGroupPrimitive.Item>
>(function RadioGroupItem({ className, ...props }, ref) {
  return (
    <RadioGroupPrimitive.Item
      ref={ref}
      className={cx('aihio-radio-control', className)}
      data-slot="radio-group-item"
      {...props}
    >
      <RadioGroupPrimitive.Indicator className="aihio-radio-indicator" />
    </RadioGroupPrimitive.Item>
  );
});

export interface RadioCardProps
  extends Omit<ComponentPropsWithoutRef<typeof RadioGroupPrimitive.Item>, 'children' | 'title'> {
  /** Required: cards find their ids from it (`<id>-title`, `<id>-description`). */
  id: string;
  title: ReactNode;
  description?: ReactNode;
}

/**
 * A choice as a card: the whole card is the click target (a `<label>` for the radio), the radio
 * is named by the title and described by the description, and a checked card is outlined.
 * Cards wrap into as many columns as fit (styles.css), so they read well at 390 px too.
 */
export const RadioCard = forwardRef<ElementRef<typeof RadioGroupPrimitive.Item>, RadioCardProps>(
  function RadioCard({ id, title, description, className, ...props }, ref) {
    const titleId = `${id}-title`;
    const descriptionId = `${id}-description`;
    return (
      // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard users are on the radio already; this only follows a pointer click on the card
      <label
        className={cx('aihio-radio-card', className)}
        htmlFor={id}
        data-slot="radio-card"
        // A label passes the click to its radio but not focus; give it focus too, so arrow keys
        // work from where the owner clicked.
        onClick={(event) => {
          const radio = event.currentTarget.querySelector<HTMLButtonElement>('[role="radio"]');
          if (radio && !radio.disabled) radio.focus();
        }}
      >
        <RadioGroupPrimitive.Item
          ref={ref}
          id={id}
          className="aihio-radio-control"
          data-slot="radio-group-item"
          aria-labelledby={titleId}
          aria-describedby={description ? descriptionId : undefined}
          {...props}
        >
          <RadioGroupPrimitive.Indicator className="aihio-radio-indicator" />
        </RadioGroupPrimitive.Item>
        <span className="aihio-radio-card-text">
          <span className="aihio-radio-card-title" id={titleId}>
            {title}
          </span>
          {description ? (
            <span className="aihio-radio-card-description" id={descriptionId}>
              {description}
            </span>
          ) : null}
        </span>
      </label>
    );
  },
);
