import { type ActionParameter, type Issue, PARAMETER_TYPES, type ParameterType } from '@aihio/actions-core';
import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef } from 'react';
import type { MessageKey } from '../i18n/en';
import type { Translator } from '../i18n/translate';
import type { UsageLocation } from '../lib/usage';
import { useControllableState } from '../lib/use-controllable-state';
import { useRootProps, useTranslator } from '../provider';
import { EnumChoicesEditor } from './EnumChoicesEditor';
import { describedBy } from './field';

export interface ParameterTableProps {
  value?: ActionParameter[];
  defaultValue?: ActionParameter[];
  onValueChange?: (parameters: ActionParameter[]) => void;
  /** Where each parameter is used in the request (`ActionEditor` computes it from the templates). */
  usage?: Readonly<Record<string, readonly UsageLocation[]>>;
  /** Problems with paths relative to the list: `[index, 'name']`. */
  issues?: readonly Pick<Issue, 'code' | 'path' | 'message'>[];
  /** Prefix of the inputs' ids (`<prefix>-<index>-name`), for focusing from an error summary. */
  idPrefix?: string;
  /** Disables adding more parameters. */
  maxParameters?: number;
  className?: string;
}

const LOCATION_KEYS: Record<UsageLocation, MessageKey> = {
  url: 'parameters.location.url',
  headers: 'parameters.location.headers',
  body: 'parameters.location.body',
};

const TYPE_KEYS: Record<ParameterType, MessageKey> = {
  text: 'parameters.type.text',
  email: 'parameters.type.email',
  phone: 'parameters.type.phone',
  number: 'parameters.type.number',
  integer: 'parameters.type.integer',
  boolean: 'parameters.type.boolean',
  enum: 'parameters.type.enum',
  date: 'parameters.type.date',
};

function newParameter(existing: readonly ActionParameter[]): ActionParameter {
  // A unique placeholder name keeps the new row free of "duplicate" noise until it is renamed.
  let n = existing.length + 1;
  while (existing.some((p) => p.name === `parameter_${n}`)) n += 1;
  return { name: `parameter_${n}`, label: '', type: 'text', required: true };
}

type Field = 'name' | 'label' | 'type' | 'hint' | 'required' | 'choices';

function sameParameter(a: ActionParameter, b: ActionParameter): boolean {
  return (
    a === b ||
    (a.name === b.name &&
      a.label === b.label &&
      a.type === b.type &&
      a.hint === b.hint &&
      a.required === b.required &&
      (a.choices ?? []).join('\u0000') === (b.choices ?? []).join('\u0000'))
  );
}

interface RowProps {
  index: number;
  count: number;
  parameter: ActionParameter;
  /** `used` as a string so memo compares by value. */
  usedIn: string;
  /** Error messages per field, joined, so memo compares by value. */
  errorKey: string;
  errors: Partial<Record<Field | 'row', string[]>>;
  idPrefix: string;
  headerIds: Record<Field | 'usedIn', string>;
  t: Translator;
  onChange: (index: number, patch: Partial<ActionParameter>) => void;
  onMove: (index: number, by: -1 | 1) => void;
  onRemove: (index: number) => void;
}

const ParameterRow = memo(
  function ParameterRow({
    index,
    count,
    parameter,
    usedIn,
    errors,
    idPrefix,
    headerIds,
    t,
    onChange,
    onMove,
    onRemove,
  }: RowProps) {
    const rowId = `${idPrefix}-${index}`;
    const rowLabelId = `${rowId}-row`;
    const used = usedIn !== '';
    const displayName = parameter.name || t.t('parameters.rowLabel', { index: index + 1 });
    const control = (field: Field, helpId?: string) => {
      const id = `${rowId}-${field}`;
      const fieldErrors = errors[field];
      const invalid = fieldErrors !== undefined && fieldErrors.length > 0;
      const describedByIds = [helpId, describedBy(id, false, invalid)].filter(Boolean).join(' ');
      return {
        id,
        'aria-labelledby': `${headerIds[field]} ${rowLabelId}`,
        'aria-invalid': invalid || undefined,
        'aria-describedby': describedByIds || undefined,
        'data-field': `parameters.${index}.${field}`,
      };
    };
    const errorText = (field: Field) => {
      const list = errors[field];
      return list && list.length > 0 ? (
        <div className="aihio-error" id={`${rowId}-${field}-error`} data-slot="error">
          {list.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null;
    };
    const lockedId = `${rowId}-required-locked`;
    const requiredLocked = used && parameter.required;
    return (
      <tr data-slot="parameter-row" data-invalid={Object.keys(errors).length > 0 || undefined}>
        <th scope="row" className="aihio-parameter-index">
          <span id={rowLabelId}>{t.t('parameters.rowLabel', { index: index + 1 })}</span>
        </th>
        <td data-label={t.t('parameters.name')}>
          {/* Each text input's box is a layout boundary (styles.css): a keystroke re-lays out the
              box, not the whole table. */}
          <div className="aihio-parameter-input" data-slot="input-box">
            <input
              className="aihio-input aihio-mono"
              {...control('name')}
              value={parameter.name}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => onChange(index, { name: e.currentTarget.value })}
            />
          </div>
          {errorText('name')}
        </td>
        <td data-label={t.t('parameters.label')}>
          <div className="aihio-parameter-input" data-slot="input-box">
            <input
              className="aihio-input"
              {...control('label')}
              value={parameter.label}
              onChange={(e) => onChange(index, { label: e.currentTarget.value })}
            />
          </div>
          {errorText('label')}
        </td>
        <td data-label={t.t('parameters.type')}>
          <select
            className="aihio-select"
            {...control('type')}
            value={parameter.type}
            onChange={(e) => {
              const type = e.currentTarget.value as ParameterType;
              // Only an enum has choices: switching away drops them, switching to it starts a list.
              onChange(index, { type, choices: type === 'enum' ? (parameter.choices ?? []) : undefined });
            }}
          >
            {PARAMETER_TYPES.map((type) => (
              <option key={type} value={type}>
                {t.t(TYPE_KEYS[type])}
              </option>
            ))}
          </select>
          {errorText('type')}
          {parameter.type === 'enum' ? (
            <EnumChoicesEditor
              id={`${rowId}-choices`}
              name={displayName}
              value={parameter.choices ?? []}
              onValueChange={(choices) => onChange(index, { choices })}
              errors={errors.choices}
            />
          ) : null}
        </td>
        <td data-label={t.t('parameters.hint')}>
          <div className="aihio-parameter-input" data-slot="input-box">
            <input
              className="aihio-input"
              {...control('hint')}
              value={parameter.hint ?? ''}
              placeholder={t.t('parameters.hint.placeholder')}
              onChange={(e) => {
                const hint = e.currentTarget.value;
                onChange(index, { hint: hint === '' ? undefined : hint });
              }}
            />
          </div>
          {errorText('hint')}
        </td>
        <td data-label={t.t('parameters.required')}>
          <input
            type="checkbox"
            className="aihio-checkbox"
            {...control('required', requiredLocked ? lockedId : undefined)}
            checked={parameter.required}
            disabled={requiredLocked}
            data-state={parameter.required ? 'checked' : 'unchecked'}
            onChange={(e) => onChange(index, { required: e.currentTarget.checked })}
          />
          {requiredLocked ? (
            <p className="aihio-help" id={lockedId} data-slot="required-locked">
              {t.t('parameters.requiredLocked')}
            </p>
          ) : null}
          {errorText('required')}
        </td>
        <td data-slot="used-in" data-label={t.t('parameters.usedIn')}>
          <span className={used ? 'aihio-badge' : 'aihio-muted'}>
            {used ? usedIn : t.t('parameters.unused')}
          </span>
        </td>
        <td className="aihio-row-actions">
          <button
            type="button"
            className="aihio-icon-button"
            aria-label={t.t('parameters.moveUp', { name: displayName })}
            disabled={index === 0}
            onClick={() => onMove(index, -1)}
          >
            <span aria-hidden="true">↑</span>
          </button>
          <button
            type="button"
            className="aihio-icon-button"
            aria-label={t.t('parameters.moveDown', { name: displayName })}
            disabled={index === count - 1}
            onClick={() => onMove(index, 1)}
          >
            <span aria-hidden="true">↓</span>
          </button>
          <button
            type="button"
            className="aihio-icon-button"
            data-variant="destructive"
            aria-label={t.t('parameters.remove', { name: displayName })}
            onClick={() => onRemove(index)}
          >
            <span aria-hidden="true">×</span>
          </button>
          {errorText('row' as Field)}
        </td>
      </tr>
    );
  },
  // By value: react-hook-form hands a cloned array to a Controller on every change, so identity
  // would re-render every row on every keystroke.
  (a, b) =>
    sameParameter(a.parameter, b.parameter) &&
    a.index === b.index &&
    a.count === b.count &&
    a.usedIn === b.usedIn &&
    a.errorKey === b.errorKey &&
    a.t === b.t &&
    a.idPrefix === b.idPrefix,
);

/**
 * Add, edit, reorder and remove an action's parameters. Each row shows where the parameter is
 * used; a used parameter cannot be made optional, and the row says why.
 */
export function ParameterTable({
  value,
  defaultValue,
  onValueChange,
  usage,
  issues,
  idPrefix,
  maxParameters,
  className,
}: ParameterTableProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-parameter-table ${className}` : 'aihio-parameter-table');
  const generatedId = useId();
  const prefix = idPrefix ?? `aihio-${generatedId.replace(/:/g, '')}-parameters`;
  const [parameters, setParameters] = useControllableState({
    value,
    defaultValue: defaultValue ?? [],
    onChange: onValueChange,
  });
  const addButtonRef = useRef<HTMLButtonElement>(null);
  // Focus to move once the change that needs it is on screen. Run from a layout effect after the
  // commit, not a requestAnimationFrame: on a busy page the frame can come before React commits
  // the new row, and the focus would be lost. Kept until its target exists.
  const pendingFocus = useRef<(() => boolean) | null>(null);
  useLayoutEffect(() => {
    if (pendingFocus.current?.()) pendingFocus.current = null;
  });

  // Stable callbacks: rows are memoized, so typing in one row re-renders only that row.
  const onChange = useCallback(
    (index: number, patch: Partial<ActionParameter>) =>
      setParameters((list) =>
        list.map((p, i) => {
          if (i !== index) return p;
          const next = { ...p, ...patch };
          if ('hint' in patch && patch.hint === undefined) delete next.hint;
          if ('choices' in patch && patch.choices === undefined) delete next.choices;
          return next;
        }),
      ),
    [setParameters],
  );
  const onMove = useCallback(
    (index: number, by: -1 | 1) => {
      setParameters((list) => {
        const target = index + by;
        if (target < 0 || target >= list.length) return list;
        const next = [...list];
        const [moved] = next.splice(index, 1);
        if (moved) next.splice(target, 0, moved);
        return next;
      });
      // Keep focus on the same control of the moved row, so keyboard reordering can continue.
      pendingFocus.current = () => {
        const input = document.getElementById(`${prefix}-${index + by}-name`);
        if (!input) return false;
        const button = input.closest('tr')?.querySelectorAll('button')[by === -1 ? 0 : 1];
        if (button instanceof HTMLButtonElement && !button.disabled) button.focus();
        else input.focus();
        return true;
      };
    },
    [setParameters, prefix],
  );
  const onRemove = useCallback(
    (index: number) => {
      setParameters((list) => list.filter((_, i) => i !== index));
      pendingFocus.current = () => {
        const next =
          document.getElementById(`${prefix}-${index}-name`) ??
          document.getElementById(`${prefix}-${index - 1}-name`);
        (next ?? addButtonRef.current)?.focus();
        return true;
      };
    },
    [setParameters, prefix],
  );
  const onAdd = () => {
    const index = parameters.length;
    setParameters((list) => [...list, newParameter(list)]);
    pendingFocus.current = () => {
      const input = document.getElementById(`${prefix}-${index}-name`);
      if (!(input instanceof HTMLInputElement)) return false;
      input.focus();
      input.select();
      return true;
    };
  };

  const rowErrors = useMemo(() => {
    const byRow = new Map<number, Partial<Record<Field | 'row', string[]>>>();
    for (const issue of issues ?? []) {
      const [index, field] = issue.path;
      if (typeof index !== 'number') continue;
      const key = (typeof field === 'string' ? field : 'row') as Field | 'row';
      const row = byRow.get(index) ?? {};
      const message = t.issue(issue);
      row[key] = [...(row[key] ?? []), message];
      byRow.set(index, row);
    }
    return byRow;
  }, [issues, t]);

  const headerIds = useMemo(
    () => ({
      name: `${prefix}-col-name`,
      label: `${prefix}-col-label`,
      type: `${prefix}-col-type`,
      choices: `${prefix}-col-type`,
      hint: `${prefix}-col-hint`,
      required: `${prefix}-col-required`,
      usedIn: `${prefix}-col-used`,
    }),
    [prefix],
  );
  const emptyErrors = useMemo(() => ({}), []);
  const atMax = maxParameters !== undefined && parameters.length >= maxParameters;

  return (
    <div {...rootProps} data-slot="parameter-table">
      {parameters.length === 0 ? (
        <p className="aihio-muted" data-slot="empty">
          {t.t('parameters.empty')}
        </p>
      ) : (
        <div className="aihio-table-scroll">
          <table className="aihio-table">
            <caption className="aihio-visually-hidden">{t.t('parameters.caption')}</caption>
            <colgroup>
              <col className="aihio-parameter-table-col-index" />
              <col className="aihio-parameter-table-col-name" />
              <col className="aihio-parameter-table-col-label" />
              <col className="aihio-parameter-table-col-type" />
              <col className="aihio-parameter-table-col-hint" />
              <col className="aihio-parameter-table-col-required" />
              <col className="aihio-parameter-table-col-used" />
              <col className="aihio-parameter-table-col-actions" />
            </colgroup>
            <thead>
              <tr>
                <td />
                <th scope="col" id={headerIds.name}>
                  {t.t('parameters.name')}
                </th>
                <th scope="col" id={headerIds.label}>
                  {t.t('parameters.label')}
                </th>
                <th scope="col" id={headerIds.type}>
                  {t.t('parameters.type')}
                </th>
                <th scope="col" id={headerIds.hint}>
                  {t.t('parameters.hint')}
                </th>
                <th scope="col" id={headerIds.required}>
                  {t.t('parameters.required')}
                </th>
                <th scope="col" id={headerIds.usedIn}>
                  {t.t('parameters.usedIn')}
                </th>
                <th scope="col">
                  <span className="aihio-visually-hidden">{t.t('parameters.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {parameters.map((parameter, index) => {
                const errors = rowErrors.get(index) ?? emptyErrors;
                const locations = usage?.[parameter.name] ?? [];
                return (
                  <ParameterRow
                    // Rows are positional: a reorder moves values, and focus follows in onMove.
                    // biome-ignore lint/suspicious/noArrayIndexKey: parameters have no stable id while names are edited
                    key={index}
                    index={index}
                    count={parameters.length}
                    parameter={parameter}
                    usedIn={locations.map((l) => t.t(LOCATION_KEYS[l])).join(', ')}
                    errorKey={JSON.stringify(errors)}
                    errors={errors}
                    idPrefix={prefix}
                    headerIds={headerIds}
                    t={t}
                    onChange={onChange}
                    onMove={onMove}
                    onRemove={onRemove}
                  />
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <button
        ref={addButtonRef}
        type="button"
        className="aihio-button"
        data-variant="secondary"
        onClick={onAdd}
        disabled={atMax}
      >
        {t.t('parameters.add')}
      </button>
    </div>
  );
}
