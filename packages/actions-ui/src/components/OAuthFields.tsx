import {
  OAUTH_CLIENT_AUTH_METHODS,
  type OAuthClientAuth,
  type OAuthClientCredentialsAuth,
} from '@aihio/actions-core';
import { useTranslator } from '../provider';
import { describedBy, FieldMessages } from './field';
import { RadioCard, RadioGroup } from './ui/radio-group';

/** The fields of OAuth 2.0 client credentials whose problems the editor shows at the field. */
export type OAuthField = 'tokenUrl' | 'clientId' | 'scope' | 'audience';

export interface OAuthFieldsProps {
  value: OAuthClientCredentialsAuth;
  onValueChange: (auth: OAuthClientCredentialsAuth) => void;
  /** Error messages per field (from `validateAction`'s issues at `auth.<field>`). */
  errors?: Partial<Record<OAuthField, readonly string[]>>;
  /** Id prefix of the inputs (`<prefix>-tokenUrl`, …). */
  idPrefix: string;
}

/** The starting point when the owner picks OAuth: Basic is what every server must accept (RFC 6749 §2.3.1). */
export function emptyOAuthAuth(): OAuthClientCredentialsAuth {
  return {
    type: 'oauth2_client_credentials',
    tokenUrl: 'https://',
    clientId: '',
    clientAuth: 'client_secret_basic',
  };
}

/**
 * The settings of OAuth 2.0 client credentials inside AuthPicker: token URL, client id, optional
 * scope and audience, and how the client secret is sent. The secret itself is AuthPicker's
 * write-only credential input. An optional field left empty is omitted from the definition, so
 * clearing it is the same as never filling it in.
 */
export function OAuthFields({ value, onValueChange, errors = {}, idPrefix }: OAuthFieldsProps) {
  const t = useTranslator();
  const set = (patch: Partial<OAuthClientCredentialsAuth>) => {
    const next: OAuthClientCredentialsAuth = { ...value, ...patch };
    if (next.scope === '') delete next.scope;
    if (next.audience === '') delete next.audience;
    onValueChange(next);
  };
  const text = (
    field: OAuthField,
    label: string,
    help: string | null,
    current: string,
    placeholder?: string,
  ) => {
    const id = `${idPrefix}-${field}`;
    const fieldErrors = errors[field];
    const invalid = (fieldErrors?.length ?? 0) > 0;
    return (
      <div className="aihio-field" data-slot="field" data-invalid={invalid || undefined}>
        <label className="aihio-label" htmlFor={id}>
          {label}
        </label>
        <input
          id={id}
          className="aihio-input aihio-mono"
          value={current}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(id, help !== null, invalid)}
          data-field={`auth.${field}`}
          onChange={(e) => set({ [field]: e.currentTarget.value })}
        />
        <FieldMessages id={id} help={help ?? undefined} errors={fieldErrors} />
      </div>
    );
  };
  const clientAuthName = `${idPrefix}-clientAuth`;
  return (
    <div className="aihio-oauth-fields" data-slot="oauth-fields">
      {text(
        'tokenUrl',
        t.t('auth.oauth.tokenUrl'),
        t.t('auth.oauth.tokenUrl.help'),
        value.tokenUrl,
        'https://auth.example.com/oauth/token',
      )}
      {text('clientId', t.t('auth.oauth.clientId'), null, value.clientId)}
      {text('scope', t.t('auth.oauth.scope'), t.t('auth.oauth.scope.help'), value.scope ?? '')}
      {text('audience', t.t('auth.oauth.audience'), t.t('auth.oauth.audience.help'), value.audience ?? '')}
      <fieldset className="aihio-fieldset" data-slot="oauth-client-auth">
        <legend className="aihio-label" id={`${clientAuthName}-legend`}>
          {t.t('auth.oauth.clientAuth')}
        </legend>
        <RadioGroup
          className="aihio-radio-cards"
          aria-labelledby={`${clientAuthName}-legend`}
          value={value.clientAuth}
          onValueChange={(method) => set({ clientAuth: method as OAuthClientAuth })}
        >
          {OAUTH_CLIENT_AUTH_METHODS.map((method) => (
            <RadioCard
              key={method}
              id={`${clientAuthName}-${method}`}
              value={method}
              title={t.t(`auth.oauth.clientAuth.${method}`)}
              data-field="auth.clientAuth"
            />
          ))}
        </RadioGroup>
      </fieldset>
    </div>
  );
}
