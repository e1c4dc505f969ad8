import { type ActionAuth, AUTH_TYPES, type AuthType, type CredentialSummary } from '@aihio/actions-core';
import { useEffect, useId, useRef, useState } from 'react';
import type { MessageKey } from '../i18n/en';
import { useControllableState } from '../lib/use-controllable-state';
import { useRootProps, useTranslator } from '../provider';
import { ConfirmDialog } from './dialog';
import { describedBy, FieldMessages } from './field';
import { emptyOAuthAuth, type OAuthField, OAuthFields } from './OAuthFields';
import { Button } from './ui/button';
import { RadioCard, RadioGroup } from './ui/radio-group';

export interface AuthPickerProps {
  value?: ActionAuth;
  defaultValue?: ActionAuth;
  onValueChange?: (auth: ActionAuth) => void;
  /** The stored credential's summary; `null` when none is stored. Never the secret. */
  credential?: CredentialSummary | null;
  /**
   * The secret the owner typed, on every change (`''` when cleared). Write-only: the input is never
   * given a value, so a secret is never prefilled or echoed back.
   */
  onSecretChange?: (secret: string) => void;
  /** Shows Remove beside a stored credential; called after the owner confirms. */
  onRemoveCredential?: () => void | Promise<void>;
  /** Error messages for the API-key header name. */
  headerNameErrors?: readonly string[];
  /** Error messages for the OAuth 2.0 client credentials fields. */
  oauthErrors?: Partial<Record<OAuthField, readonly string[]>>;
  /** Error messages for the secret (e.g. `credential_missing`). */
  secretErrors?: readonly string[];
  /** Id prefix of the inputs (`<prefix>-type`, `<prefix>-headerName`, `<prefix>-secret`). */
  idPrefix?: string;
  disabled?: boolean;
  className?: string;
}

const TYPE_KEYS: Record<AuthType, { label: MessageKey; help: MessageKey }> = {
  none: { label: 'auth.none', help: 'auth.none.help' },
  bearer: { label: 'auth.bearer', help: 'auth.bearer.help' },
  api_key: { label: 'auth.api_key', help: 'auth.api_key.help' },
  oauth2_client_credentials: {
    label: 'auth.oauth2_client_credentials',
    help: 'auth.oauth2_client_credentials.help',
  },
};

/**
 * How the action authenticates: none, a Bearer token, an API key in a named header, or OAuth 2.0
 * client credentials (its settings in `OAuthFields`; the client secret is the credential). The
 * credential is write-only: once stored only `•••• last4` shows, with Replace and Remove.
 */
export function AuthPicker({
  value,
  defaultValue,
  onValueChange,
  credential = null,
  onSecretChange,
  onRemoveCredential,
  headerNameErrors,
  oauthErrors,
  secretErrors,
  idPrefix,
  disabled = false,
  className,
}: AuthPickerProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-auth-picker ${className}` : 'aihio-auth-picker');
  const generated = useId().replace(/:/g, '');
  const prefix = idPrefix ?? `aihio-${generated}-auth`;
  const [auth, setAuth] = useControllableState<ActionAuth>({
    value,
    defaultValue: defaultValue ?? { type: 'none' },
    onChange: onValueChange,
  });
  const [replacing, setReplacing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removing, setRemoving] = useState(false);
  const secretRef = useRef<HTMLInputElement>(null);
  // A newly stored credential ends "Replace": show its last4 again.
  const storedLast4 = credential?.last4;
  useEffect(() => {
    if (storedLast4 !== undefined) setReplacing(false);
  }, [storedLast4]);
  // The last API-key header name, so switching to Bearer and back does not lose it.
  const lastHeaderName = useRef(auth.type === 'api_key' ? auth.headerName : '');
  // Likewise the OAuth settings.
  const lastOAuth = useRef(auth.type === 'oauth2_client_credentials' ? auth : emptyOAuthAuth());

  const choose = (type: AuthType) => {
    if (type === auth.type) return;
    if (auth.type === 'api_key') lastHeaderName.current = auth.headerName;
    if (auth.type === 'oauth2_client_credentials') lastOAuth.current = auth;
    if (type === 'api_key') setAuth({ type, headerName: lastHeaderName.current });
    else if (type === 'oauth2_client_credentials') setAuth(lastOAuth.current);
    else setAuth({ type });
  };

  const headerNameId = `${prefix}-headerName`;
  const secretId = `${prefix}-secret`;
  const legendId = `${prefix}-legend`;
  const showSecretInput = auth.type !== 'none' && (credential === null || replacing);
  // A secret typed into an input that has since gone (auth set to none, or the stored credential
  // shown again) is not sent: only what the owner can see is stored.
  const onSecretChangeRef = useRef(onSecretChange);
  onSecretChangeRef.current = onSecretChange;
  const hadSecretInput = useRef(showSecretInput);
  useEffect(() => {
    if (hadSecretInput.current && !showSecretInput) onSecretChangeRef.current?.('');
    hadSecretInput.current = showSecretInput;
  }, [showSecretInput]);
  const headerInvalid = (headerNameErrors?.length ?? 0) > 0;
  const secretInvalid = (secretErrors?.length ?? 0) > 0;

  return (
    <div {...rootProps} data-slot="auth-picker" data-state={auth.type}>
      <fieldset className="aihio-fieldset" disabled={disabled}>
        <legend id={legendId} className="aihio-label">
          {t.t('auth.legend')}
        </legend>
        <RadioGroup
          className="aihio-radio-cards"
          aria-labelledby={legendId}
          value={auth.type}
          onValueChange={(type) => choose(type as AuthType)}
          disabled={disabled}
        >
          {AUTH_TYPES.map((type) => (
            <RadioCard
              key={type}
              // The first option carries the group's id, so an error on `auth.type` can focus it.
              id={type === AUTH_TYPES[0] ? `${prefix}-type` : `${prefix}-type-${type}`}
              value={type}
              title={t.t(TYPE_KEYS[type].label)}
              description={t.t(TYPE_KEYS[type].help)}
              data-field="auth.type"
            />
          ))}
        </RadioGroup>

        {auth.type === 'api_key' ? (
          <div className="aihio-field" data-slot="field" data-invalid={headerInvalid || undefined}>
            <label className="aihio-label" htmlFor={headerNameId}>
              {t.t('auth.headerName')}
            </label>
            <input
              id={headerNameId}
              className="aihio-input aihio-mono"
              value={auth.headerName}
              placeholder={t.t('auth.headerName.placeholder')}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={headerInvalid || undefined}
              aria-describedby={describedBy(headerNameId, false, headerInvalid)}
              data-field="auth.headerName"
              onChange={(e) => setAuth({ type: 'api_key', headerName: e.currentTarget.value })}
            />
            <FieldMessages id={headerNameId} errors={headerNameErrors} />
          </div>
        ) : null}

        {auth.type === 'oauth2_client_credentials' ? (
          <OAuthFields value={auth} onValueChange={setAuth} errors={oauthErrors} idPrefix={prefix} />
        ) : null}

        {auth.type !== 'none' && credential !== null && !replacing ? (
          <div className="aihio-field" data-slot="credential-saved">
            <span className="aihio-label" id={`${secretId}-saved`}>
              {t.t('auth.secret.saved')}
            </span>
            <div className="aihio-inline">
              <output className="aihio-mono aihio-masked" aria-labelledby={`${secretId}-saved`}>
                {t.t('auth.secret.masked', { last4: credential.last4 })}
              </output>
              <Button
                variant="secondary"
                onClick={() => {
                  setReplacing(true);
                  requestAnimationFrame(() => secretRef.current?.focus());
                }}
              >
                {t.t('auth.secret.replace')}
              </Button>
              {onRemoveCredential ? (
                <Button variant="destructive-outline" onClick={() => setConfirmRemove(true)}>
                  {t.t('auth.secret.remove')}
                </Button>
              ) : null}
            </div>
            <FieldMessages id={secretId} errors={secretErrors} />
          </div>
        ) : null}

        {showSecretInput ? (
          <div className="aihio-field" data-slot="field" data-invalid={secretInvalid || undefined}>
            <label className="aihio-label" htmlFor={secretId}>
              {t.t(auth.type === 'oauth2_client_credentials' ? 'auth.oauth.secret' : 'auth.secret')}
            </label>
            <div className="aihio-inline">
              {/* Uncontrolled on purpose: the secret lives only in the DOM until it is sent. */}
              <input
                ref={secretRef}
                id={secretId}
                type="password"
                className="aihio-input aihio-mono"
                autoComplete="new-password"
                spellCheck={false}
                aria-invalid={secretInvalid || undefined}
                aria-describedby={describedBy(secretId, true, secretInvalid)}
                data-field="credential"
                onChange={(e) => onSecretChange?.(e.currentTarget.value)}
              />
              {replacing ? (
                <Button
                  variant="ghost"
                  onClick={() => {
                    setReplacing(false);
                    onSecretChange?.('');
                  }}
                >
                  {t.t('auth.secret.cancelReplace')}
                </Button>
              ) : null}
            </div>
            <FieldMessages id={secretId} help={t.t('auth.secret.help')} errors={secretErrors} />
          </div>
        ) : null}
      </fieldset>

      <ConfirmDialog
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title={t.t('auth.secret.remove.title')}
        body={t.t('auth.secret.remove.body')}
        confirmLabel={t.t('auth.secret.remove.confirm')}
        destructive
        pending={removing}
        onConfirm={async () => {
          setRemoving(true);
          try {
            await onRemoveCredential?.();
            setConfirmRemove(false);
          } finally {
            setRemoving(false);
          }
        }}
      />
    </div>
  );
}
