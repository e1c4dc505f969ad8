import {
  CONFIRMATION_MODES,
  type ConfirmationMode,
  type HttpMethod,
  LIMITS,
  needsConfirmation,
} from '@aihio/actions-core';
import { useId } from 'react';
import type { MessageKey } from '../i18n/en';
import { useControllableState } from '../lib/use-controllable-state';
import { useRootProps, useTranslator } from '../provider';
import { describedBy, FieldMessages } from './field';
import { RadioCard, RadioGroup } from './ui/radio-group';

export interface ConfirmationSettingsProps {
  /** The action's method: `auto` asks for every method but GET, and the help says which applies. */
  method: HttpMethod;
  confirmation?: ConfirmationMode;
  defaultConfirmation?: ConfirmationMode;
  onConfirmationChange?: (mode: ConfirmationMode) => void;
  /** The visitor-facing label (`''` when none). */
  visitorLabel?: string;
  defaultVisitorLabel?: string;
  onVisitorLabelChange?: (label: string) => void;
  visitorLabelErrors?: readonly string[];
  /** Id prefix of the inputs (`<prefix>-confirmation`, `<prefix>-visitorLabel`). */
  idPrefix?: string;
  disabled?: boolean;
  className?: string;
}

const MODE_KEYS: Record<ConfirmationMode, { label: MessageKey; help: MessageKey }> = {
  auto: { label: 'confirmation.auto', help: 'confirmation.auto.help' },
  always: { label: 'confirmation.always', help: 'confirmation.always.help' },
  never: { label: 'confirmation.never', help: 'confirmation.never.help' },
};

/**
 * What the visitor sees of the action: the label the chat shows while it runs, and whether the
 * visitor confirms a call before it is made. The server enforces the confirmation; the note under
 * the choices says what it means for this action's method.
 */
export function ConfirmationSettings({
  method,
  confirmation,
  defaultConfirmation,
  onConfirmationChange,
  visitorLabel,
  defaultVisitorLabel,
  onVisitorLabelChange,
  visitorLabelErrors,
  idPrefix,
  disabled = false,
  className,
}: ConfirmationSettingsProps) {
  const t = useTranslator();
  const rootProps = useRootProps(
    className ? `aihio-confirmation-settings ${className}` : 'aihio-confirmation-settings',
  );
  const generated = useId().replace(/:/g, '');
  const prefix = idPrefix ?? `aihio-${generated}-visitor`;
  const [mode, setMode] = useControllableState<ConfirmationMode>({
    value: confirmation,
    defaultValue: defaultConfirmation ?? 'auto',
    onChange: onConfirmationChange,
  });
  const [label, setLabel] = useControllableState<string>({
    value: visitorLabel,
    defaultValue: defaultVisitorLabel ?? '',
    onChange: onVisitorLabelChange,
  });
  const labelId = `${prefix}-visitorLabel`;
  const labelInvalid = (visitorLabelErrors?.length ?? 0) > 0;
  const asks = needsConfirmation({ method, confirmation: mode });
  const effectId = `${prefix}-confirmation-effect`;
  const legendId = `${prefix}-confirmation-legend`;

  return (
    <div {...rootProps} data-slot="confirmation-settings" data-state={mode}>
      <div className="aihio-field" data-slot="field" data-invalid={labelInvalid || undefined}>
        <label className="aihio-label" htmlFor={labelId}>
          {t.t('visitorLabel')}
        </label>
        <input
          id={labelId}
          className="aihio-input"
          value={label}
          maxLength={LIMITS.visitorLabel}
          placeholder={t.t('visitorLabel.placeholder')}
          disabled={disabled}
          aria-invalid={labelInvalid || undefined}
          aria-describedby={describedBy(labelId, true, labelInvalid)}
          data-field="visitorLabel"
          onChange={(e) => setLabel(e.currentTarget.value)}
        />
        <FieldMessages id={labelId} help={t.t('visitorLabel.help')} errors={visitorLabelErrors} />
      </div>

      <fieldset className="aihio-fieldset" disabled={disabled} aria-describedby={effectId}>
        <legend id={legendId} className="aihio-label">
          {t.t('confirmation.legend')}
        </legend>
        <RadioGroup
          className="aihio-radio-cards"
          aria-labelledby={legendId}
          value={mode}
          onValueChange={(next) => setMode(next as ConfirmationMode)}
          disabled={disabled}
        >
          {CONFIRMATION_MODES.map((option) => (
            <RadioCard
              key={option}
              // The first option carries the group's id, so an error on `confirmation` can focus it.
              id={
                option === CONFIRMATION_MODES[0]
                  ? `${prefix}-confirmation`
                  : `${prefix}-confirmation-${option}`
              }
              value={option}
              title={t.t(MODE_KEYS[option].label)}
              description={t.t(MODE_KEYS[option].help)}
              data-field="confirmation"
            />
          ))}
        </RadioGroup>
        <p
          id={effectId}
          className={asks || method === 'GET' ? 'aihio-help' : 'aihio-notice'}
          data-slot="confirmation-effect"
          data-asks={asks}
        >
          {asks
            ? t.t('confirmation.effect.asks', { method })
            : method === 'GET'
              ? t.t('confirmation.effect.runs', { method })
              : t.t('confirmation.effect.sideEffectsUnasked', { method })}
        </p>
      </fieldset>
    </div>
  );
}
