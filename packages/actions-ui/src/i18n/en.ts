/**
 * The English message catalog: every string the kit shows. Keys are stable API (hosts override
 * them through `ActionsProvider messages`); `{name}` marks an interpolated value.
 */
export const en = {
  // common
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.save': 'Save',
  'common.saving': 'Saving…',
  'common.delete': 'Delete',
  'common.edit': 'Edit',
  'common.remove': 'Remove',
  'common.retry': 'Try again',
  'common.loading': 'Loading…',
  'common.required': 'Required',
  'common.optional': 'Optional',
  'common.learnMore': 'Learn more',
  'toast.region': 'Notifications ({hotkey})',

  // list
  'list.title': 'Actions',
  'list.add': 'Add action',
  'list.empty.title': 'No actions yet',
  'list.empty.body':
    'Actions let the AI agent call your own HTTPS API mid-conversation, for example to look up an order or book a time.',
  'list.loading': 'Loading actions…',
  'list.error': 'The actions could not be loaded.',
  'list.planRequired.title': 'Upgrade to use custom HTTP actions',
  'list.planRequired.body': 'Custom HTTP actions need the Starter plan or above.',
  'list.planRequired.link': 'See plans',
  'list.enabledLabel': 'Enable {identifier}',
  'list.status.on': 'On',
  'list.status.off': 'Off',
  'list.status.credentialMissing': 'Credential missing',
  'list.lastRun': 'Last run',
  'list.lastRun.never': 'Never run',
  'list.lastRun.ok': 'OK · HTTP {status}',
  'list.lastRun.failed': 'Failed: {outcome}',
  'list.lastRun.source.test': 'test',
  'list.lastRun.source.agent': 'agent',
  'list.editLabel': 'Edit {identifier}',
  'list.deleteLabel': 'Delete {identifier}',
  'list.delete.title': 'Delete {identifier}?',
  'list.delete.body':
    'The AI agent can no longer use this action, and its stored credential is deleted. This cannot be undone.',
  'list.delete.confirm': 'Delete action',
  'list.toggleFailed': 'The change could not be saved: {message}',
  'list.planRequired.current': 'Your workspace is on the {plan} plan.',
  'list.planRequired.points':
    'With Starter your AI agent can look up orders, book times and open tickets in your own systems, mid-conversation.',
  'list.badge.auth.bearer': 'Bearer token',
  'list.badge.auth.api_key': 'API key',
  'list.badge.auth.oauth2_client_credentials': 'OAuth 2.0',
  'list.badge.identity': 'Verified identity',
  'list.status.identityMissing': 'Identity not set up',
  'list.lastRun.httpError': 'Failed · HTTP {status}',
  'list.lastRun.redirect': 'Redirect not followed · HTTP {status}',
  'list.delete.bodyNoCredential': 'The AI agent can no longer use this action. This cannot be undone.',
  'list.deleted': '{identifier} was deleted.',
  'list.enable.title': 'Turn on {identifier}?',
  'list.enable.credentialMissing':
    'It uses authentication, but no credential is stored: every call the agent makes will fail until you add one in the editor.',
  'list.enable.identityMissing':
    'It requires a verified visitor identity, but this chatbot has no identity secret: every call will be refused until you set one up.',
  'list.enable.confirm': 'Turn on anyway',

  // identity secret setup
  'identitySetup.title': 'Verified visitor identity',
  'identitySetup.status.set': 'Set up',
  'identitySetup.status.unset': 'Not set up',
  'identitySetup.body':
    'Your server signs a short-lived token (a JWT) for each signed-in visitor with this chatbot’s secret. Actions that require verified identity then trust {{identity.email}} and the other identity fields.',
  'identitySetup.stored': 'Stored secret',
  'identitySetup.generate': 'Generate secret',
  'identitySetup.rotate': 'Rotate secret',
  'identitySetup.rotate.title': 'Rotate the identity secret?',
  'identitySetup.rotate.body':
    'Tokens signed with the current secret stop verifying at once: actions that require verified identity are refused until your server signs with the new secret.',
  'identitySetup.rotate.confirm': 'Rotate secret',
  'identitySetup.remove.title': 'Remove the identity secret?',
  'identitySetup.remove.body':
    'Visitors can no longer be verified: actions that require verified identity are refused until you set up a new secret.',
  'identitySetup.remove.confirm': 'Remove secret',
  'identitySetup.reveal.label': 'Your new identity secret',
  'identitySetup.reveal.help':
    'Copy it now and keep it on your server only (for example as AIHIO_IDENTITY_SECRET). It is not shown again; if it is lost, rotate it.',
  'identitySetup.reveal.done': 'I have copied it',
  'identitySetup.copy': 'Copy',
  'identitySetup.copySnippet': 'Copy code',
  'identitySetup.copied': 'Copied to the clipboard.',
  'identitySetup.copyFailed': 'Could not copy: select the text and copy it yourself.',
  'identitySetup.snippet.title': 'Mint the visitor token on your server (Node.js, jose)',
  'identitySetup.snippet.body':
    'Pass the token to the chat widget for a signed-in visitor. It must expire (at most 24 hours); sub is the user id.',
  'identitySetup.failed': 'The identity secret could not be saved. Try again.',

  // editor
  'editor.titleNew': 'New action',
  'editor.titleEdit': 'Edit {identifier}',
  'editor.section.basics': 'Basics',
  'editor.section.parameters': 'Parameters',
  'editor.section.request': 'Headers and body',
  'editor.section.auth': 'Authentication',
  'editor.section.identity': 'Verified visitor details',
  'editor.section.test': 'Test the action',
  'editor.identifier': 'Identifier',
  'editor.identifier.help':
    'The machine-readable name the AI agent uses, in snake_case: lowercase letters, digits and underscores, starting with a letter. For example lookup_order.',
  'editor.description': 'Description',
  'editor.description.help':
    'Tell the AI agent when to use this action, in one or two plain sentences. For example: "Look up a customer’s order status by order number."',
  'editor.method': 'HTTP method',
  'editor.url': 'URL',
  'editor.url.help':
    'Must start with https://. Put parameters in path segments or query values, for example https://api.example.com/orders/{{order_number}}.',
  'editor.headers': 'Headers',
  'editor.headers.empty': 'No headers.',
  'editor.headers.add': 'Add header',
  'editor.headers.name': 'Header name',
  'editor.headers.value': 'Header value',
  'editor.headers.remove': 'Remove header {index}',
  'editor.body': 'Body',
  'editor.body.help':
    'JSON text, with parameters only inside string values: {"order": "{{order_number}}"}. Form-urlencoded when Content-Type says so.',
  'editor.body.notAllowed': 'A {method} request has no body.',
  'editor.enabled': 'Turn the action on after saving',
  'editor.requireVerifiedIdentity': 'Require verified identity',
  'editor.requireVerifiedIdentity.help':
    'The action runs only for visitors whose identity the chat widget verified with a signed JWT, and may then use {{identity.user_id}}, {{identity.email}}, {{identity.name}} and {{identity.phone}}.',
  'editor.save': 'Save action',
  'editor.saved': 'Saved.',
  'editor.cancel': 'Cancel',
  'editor.importCurl': 'Import from curl',
  'editor.errorsSummary': 'Fix {count} problems before saving.',
  'editor.errorsSummary.one': 'Fix 1 problem before saving.',
  'editor.versionConflict':
    'Someone else changed this action since you opened it. Reload to see their version; your changes are kept in the form until you do.',
  'editor.versionConflict.reload': 'Reload latest version',
  'editor.credentialDrop.origin':
    'Saving removes the stored credential (•••• {last4}) because the host changed; you will need to enter it again.',
  'editor.credentialDrop.auth_type':
    'Saving removes the stored credential (•••• {last4}) because the authentication type changed; you will need to enter it again.',
  'editor.credentialDrop.header_name':
    'Saving removes the stored credential (•••• {last4}) because the API key header changed; you will need to enter it again.',
  'editor.credentialDrop.token_url':
    'Saving removes the stored client secret (•••• {last4}) because the token URL changed; you will need to enter it again.',
  'editor.credentialDrop.client_id':
    'Saving removes the stored client secret (•••• {last4}) because the client ID changed; you will need to enter it again.',
  'editor.credentialDrop.scope':
    'Saving removes the stored client secret (•••• {last4}) because the scope changed; you will need to enter it again.',
  'editor.credentialDrop.audience':
    'Saving removes the stored client secret (•••• {last4}) because the audience changed; you will need to enter it again.',
  'editor.identifierTaken': 'Another action of this chatbot already uses this identifier.',
  'editor.saveFailed': 'The action could not be saved: {message}',
  'editor.discard.title': 'Discard unsaved changes?',
  'editor.discard.body': 'Your changes to this action have not been saved.',
  'editor.discard.confirm': 'Discard changes',
  'editor.discard.keep': 'Keep editing',
  'editor.loadFailed': 'The action could not be loaded.',
  'editor.credentialDrop.auth_none':
    'Saving removes the stored credential (•••• {last4}) because the action no longer authenticates.',
  'editor.credentialDrop.confirm.title': 'Remove the stored credential?',
  'editor.credentialDrop.confirm.save': 'Save and remove credential',
  'editor.state.unsaved': 'Unsaved changes',
  'editor.state.saving': 'Saving…',
  'editor.state.failed': 'Not saved: see the problems above.',
  'editor.enabled.noIdentitySetup':
    'This action requires a verified visitor, but this chatbot has no identity verification set up: every call will fail until it does.',
  'editor.enabled.noCredential':
    'This action authenticates but has no credential: the agent’s calls will fail until you enter one.',
  'editor.nav': 'Sections of the action',
  'editor.nav.invalid': 'has problems',

  // template input
  'template.suggestions': 'Placeholders',
  'template.suggestion.parameter': 'parameter',
  'template.suggestion.identity': 'verified visitor',
  'template.placeholderCount': '{count} placeholder(s)',

  // parameters
  'parameters.help':
    'Values the AI agent gathers from the conversation. Reference one with double curly braces, for example {{order_number}}.',
  'parameters.empty': 'No parameters yet.',
  'parameters.add': 'Add parameter',
  'parameters.caption': 'Parameters',
  'parameters.name': 'Name',
  'parameters.label': 'Label',
  'parameters.type': 'Type',
  'parameters.hint': 'AI hint',
  'parameters.hint.placeholder': 'e.g. Customer order number, such as ORD-123',
  'parameters.required': 'Required',
  'parameters.usedIn': 'Used in',
  'parameters.unused': 'Not used',
  'parameters.actions': 'Actions',
  'parameters.type.text': 'Text',
  'parameters.type.email': 'Email',
  'parameters.type.phone': 'Phone',
  'parameters.type.number': 'Number',
  'parameters.type.integer': 'Whole number',
  'parameters.type.boolean': 'Yes/no',
  'parameters.type.enum': 'Choice',
  'parameters.type.date': 'Date',
  'choices.listLabel': 'Choices of {name}',
  'choices.add': 'Add a choice to {name}',
  'choices.addButton': 'Add',
  'choices.placeholder': 'A choice, then Enter',
  'choices.remove': 'Remove choice {choice}',
  'choices.duplicate': '“{choice}” is already a choice.',
  'parameters.moveUp': 'Move {name} up',
  'parameters.moveDown': 'Move {name} down',
  'parameters.remove': 'Remove {name}',
  'parameters.rowLabel': 'parameter {index}',
  'parameters.requiredLocked': 'Used in the request, so it must be required.',
  'parameters.location.url': 'URL',
  'parameters.location.headers': 'headers',
  'parameters.location.body': 'body',

  // auth
  'auth.legend': 'Authentication',
  'auth.none': 'No authentication',
  'auth.none.help': 'For public endpoints.',
  'auth.bearer': 'Bearer token',
  'auth.bearer.help': 'Sent as Authorization: Bearer <token>.',
  'auth.api_key': 'API key',
  'auth.api_key.help': 'Sent in a header you name.',
  'auth.oauth2_client_credentials': 'OAuth 2.0 client credentials',
  'auth.oauth2_client_credentials.help':
    'The server exchanges a client ID and secret for an access token, sent as Authorization: Bearer.',
  'auth.oauth.tokenUrl': 'Token URL',
  'auth.oauth.tokenUrl.help': 'Your authorization server’s token endpoint (https, port 443).',
  'auth.oauth.clientId': 'Client ID',
  'auth.oauth.scope': 'Scope (optional)',
  'auth.oauth.scope.help': 'Space-separated, e.g. orders:read tickets:write.',
  'auth.oauth.audience': 'Audience (optional)',
  'auth.oauth.audience.help': 'Only if your server asks for one (e.g. Auth0: the API identifier).',
  'auth.oauth.clientAuth': 'Send the client secret',
  'auth.oauth.clientAuth.client_secret_basic': 'In the Authorization header (HTTP Basic)',
  'auth.oauth.clientAuth.client_secret_post': 'In the request body (client_secret)',
  'auth.oauth.secret': 'Client secret',
  'auth.headerName': 'API key header name',
  'auth.headerName.placeholder': 'e.g. X-Api-Key',
  'auth.secret': 'Credential',
  'auth.secret.help':
    'Enter it once. It is stored encrypted and never shown again; only the last characters stay visible.',
  'auth.secret.saved': 'Stored credential',
  'auth.secret.masked': '•••• {last4}',
  'auth.secret.replace': 'Replace',
  'auth.secret.cancelReplace': 'Keep the stored credential',
  'auth.secret.remove': 'Remove',
  'auth.secret.pending': 'The credential is stored when you save the action.',
  'auth.secret.remove.title': 'Remove the stored credential?',
  'auth.secret.remove.body': 'Calls to this action will fail until you enter a new credential.',
  'auth.secret.remove.confirm': 'Remove credential',
  'auth.secret.missing': 'No credential is stored. Enter one so the action can run.',

  // GDPR
  'gdpr.title': 'You are sending personal data to your own system',
  'gdpr.body':
    'This action sends verified visitor details ({fields}). Make sure the processing is GDPR-compliant.',
  'gdpr.jwtOnly':
    'Only the signed-JWT identity method fills these fields. With the HMAC user hash the visitor is verified for display only, and the call fails closed.',
  'gdpr.requireMissing':
    'Identity references need “Require verified identity”, so the call never runs for an unverified visitor.',
  'gdpr.fix': 'Require verified identity',
  'gdpr.learnMore.title': 'Verified visitor details and GDPR',
  'gdpr.learnMore.body1':
    'When the chat widget verifies a visitor with a signed JWT, the action can pass the verified user id, email, name and phone to your endpoint with references such as {{identity.email}}.',
  'gdpr.learnMore.body2':
    'You are the controller of the personal data your endpoint receives: have a legal basis for the processing, tell visitors about it in your privacy notice, and send only the fields the call needs.',
  'gdpr.learnMore.body3':
    'With the HMAC user-hash method, identity references resolve to nothing and the call is not made.',

  // test panel
  'test.title': 'Test the action',
  'test.help': 'Enter sample values and run the call to see the endpoint’s response and status.',
  'test.noParameters': 'This action has no parameters.',
  'test.credential': 'Credential for this test',
  'test.credential.help':
    'Testing an authenticated action requires entering the credential. It is kept in this page while you edit (never stored) and sent only with your test runs.',
  'test.identity': 'Sample verified visitor',
  'test.identity.help': 'You stand in for a visitor verified with a signed JWT.',
  'test.identity.user_id': 'User id',
  'test.identity.email': 'Email',
  'test.identity.name': 'Name',
  'test.identity.phone': 'Phone',
  'test.stale': 'Changed since this run: run the test again to see the current result.',
  'test.request': 'Request sent',
  'test.redirect':
    'The endpoint answered {status}, a redirect. Redirects are never followed: the call stops here, and the agent gets this answer.',
  'test.redirect.location': 'It points to:',
  'test.agent': 'What the agent receives',
  'test.agent.help':
    'The status and the body as the agent gets them: shaped by the action’s response settings and cut to its budget.',
  'test.agent.cut': 'The body was cut to fit the agent’s budget.',
  'test.credential.forget': 'Forget the test credential',
  'test.run': 'Run test',
  'test.running': 'Running…',
  'test.invalidDraft': 'Fix the action’s problems before testing it.',
  'test.result': 'Result',
  'test.status': 'Status',
  'test.duration': 'Duration',
  'test.durationValue': '{ms} ms',
  'test.headers': 'Response headers',
  'test.body': 'Response body',
  'test.body.empty': 'The response has no body.',
  'test.body.pretty': 'Formatted',
  'test.body.raw': 'Raw',
  'test.truncated': 'The response was larger than the cap, so only its beginning is shown.',
  'test.failed': 'The call failed',
  'test.token': 'Access token',
  'test.token.obtained': 'Obtained from the token endpoint; expires in {seconds} s.',
  'test.token.obtainedOnce':
    'Obtained from the token endpoint; it has no lifetime, so it is used for one call.',
  'test.token.reused': 'Reused a cached token; expires in {seconds} s.',
  'test.token.failed': 'No access token: the call was not made.',
  'test.token.endpointSaid': 'The token endpoint said: {error}',
  'test.errorCode': 'Error code: {code}',
  'test.value.required': 'Enter a value.',
  'test.value.choose': 'Choose…',
  'test.value.true': 'Yes (true)',
  'test.value.false': 'No (false)',
  'test.value.email': 'Enter an email address, such as name@example.com.',
  'test.value.phone': 'Enter a phone number with its country code, such as +358 40 123 4567.',

  // run indicator
  'run.active': 'Performing action…',
  'run.activeNamed': 'Performing action: {name}…',
  'run.done': 'Action finished.',

  // run history
  'runs.title': 'Run history',
  'runs.help': 'Only the outcome of each call is kept: never the values, bodies or credentials.',
  'runs.loading': 'Loading run history…',
  'runs.error': 'The run history could not be loaded.',
  'runs.refresh': 'Refresh',
  'runs.refreshing': 'Refreshing…',
  'runs.empty.title': 'No runs yet',
  'runs.empty.body':
    'Use Run test in the test panel to try the action. Each test, and each call the AI agent makes, appears here.',
  'runs.filter.label': 'Show runs from',
  'runs.filter.all': 'All',
  'runs.filter.test': 'Tests',
  'runs.filter.agent': 'Agent',
  'runs.filter.none': 'No runs from this source among the recent ones.',
  'runs.source.test': 'Test',
  'runs.source.agent': 'Agent',
  'runs.httpStatus': 'HTTP {status}',
  'runs.ok': 'OK',
  'runs.errorCode': 'Error code {code}',
  'runs.durationMs': '{ms} ms',
  'runs.durationS': '{s} s',
  'runs.durationInstant': '< 1 ms',
  'runs.truncated': 'Response cut at the cap',
  'runs.showMore': 'Show {count} more',

  // curl import
  'curl.title': 'Import from curl',
  'curl.help':
    'Paste a curl command. Its method, URL, headers and body fill the form; then mark which values become parameters.',
  'curl.label': 'curl command',
  'curl.import': 'Import',
  'curl.invalid': 'The command could not be read: {message}',
  'curl.warnings': 'Not imported:',
  'curl.credentialFound':
    'The command carried a credential. It was not put in the form: enter it in Authentication.',
  'curl.next': 'Now replace the values the AI agent should fill with {{parameters}}.',

  // plain-language explanations of error codes (API errors and test-run outcomes)
  'error.invalid_request': 'The request was malformed.',
  'error.validation_failed': 'The action has errors. Fix the marked fields and try again.',
  'error.unauthenticated': 'Your session has expired. Sign in again.',
  'error.forbidden': 'Your role does not allow this change.',
  'error.not_found': 'It was not found. It may have been deleted.',
  'error.identifier_taken': 'Another action of this chatbot already uses this identifier.',
  'error.version_conflict':
    'Someone else changed this action since you opened it. Reload to see their version.',
  'error.precondition_required': 'The change was sent without the version it updates. Reload and try again.',
  'error.plan_required': 'Custom HTTP actions need the Starter plan or above.',
  'error.rate_limited': 'Too many requests. Wait a moment and try again.',
  'error.payload_too_large': 'The request is too large.',
  'error.action_disabled': 'This action is turned off.',
  'error.credential_required':
    'This action uses authentication: enter the credential in the test form to run it.',
  'error.credential_missing': 'This action uses authentication, but no credential is stored for it.',
  'error.overloaded': 'Too many calls are running for this workspace. Try again shortly.',
  'error.unavailable': 'The service is temporarily unavailable. Try again shortly.',
  'error.internal_error': 'Something went wrong on our side.',
  'error.invalid_arguments':
    'Some test values are missing or not valid for this action. Check the marked fields.',
  'error.identity_unverified':
    'This action sends verified visitor details, and there was no visitor verified with a signed JWT, so the call was not made.',
  'error.blocked_destination':
    'The address is blocked: actions may not call private, internal or metadata addresses. Use your API’s public https address.',
  'error.invalid_url': 'The URL is not a valid https URL.',
  'error.dns_failed':
    'The host name cannot be called: it was not found, or it does not lead to a public address. Check the URL for typos.',
  'error.connect_failed':
    'Your endpoint could not be reached. Check that it is online and accepts connections on port 443.',
  'error.tls_failed':
    'The endpoint’s TLS certificate could not be verified. It must be valid, unexpired and issued for this host name.',
  'error.timeout':
    'Your endpoint did not answer in time. Make it answer faster, or check that it is running.',
  'error.response_too_large': 'The endpoint’s response was larger than allowed.',
  'error.request_too_large': 'The request body is larger than allowed.',
  'error.aborted': 'The call was cancelled.',
  'error.oauth_token_failed':
    'The token endpoint refused to issue an access token. Check the client ID, secret and scope.',
  'error.oauth_token_invalid': 'The token endpoint’s answer was not an access token.',
  'error.unknown': 'Something went wrong: {message}',

  // validation issues by code (English uses core's more specific message when it has one)
  'issue.required': 'This is required.',
  'issue.invalid_type': 'This value has the wrong type.',
  'issue.too_long': 'This is too long.',
  'issue.too_many': 'There are too many of these.',
  'issue.identifier_format':
    'Use snake_case: lowercase letters, digits and underscores, starting with a letter.',
  'issue.description_too_short':
    'Say in a sentence when the AI agent should use this action (at least 10 characters): the agent decides from it.',
  'issue.description_blank': 'Describe when the AI agent should use this action.',
  'issue.url_invalid': 'This is not a valid URL.',
  'issue.url_not_https': 'The URL must start with https://.',
  'issue.url_userinfo': 'Remove the user name and password from the URL; use Authentication instead.',
  'issue.url_fragment': 'Remove the #fragment from the URL.',
  'issue.url_port': 'Only the default https port 443 is allowed.',
  'issue.url_placeholder_position':
    'Placeholders may appear only in path segments and query values, never in the host.',
  'issue.template_syntax': 'A placeholder is not closed or is malformed: write {{name}}.',
  'issue.placeholder_unknown': 'This placeholder is not a defined parameter or identity field.',
  'issue.placeholder_parameter_optional': 'A parameter used in the request must be required.',
  'issue.identity_field_unknown':
    'Unknown identity field: use identity.user_id, identity.email, identity.name or identity.phone.',
  'issue.identity_requires_verification': 'Identity references need “Require verified identity”.',
  'issue.parameter_name_format':
    'Use snake_case: lowercase letters, digits and underscores, starting with a letter.',
  'issue.parameter_name_duplicate': 'Another parameter already has this name.',
  'issue.label_blank': 'Give the parameter a label.',
  'issue.parameter_type': 'Choose a type: text, email, phone, number, whole number, yes/no, choice or date.',
  'issue.parameter_choices': 'A choice parameter needs at least one choice, each non-blank and different.',
  'issue.header_name_invalid': 'This is not a valid header name.',
  'issue.header_forbidden': 'This header is set by the server and cannot be defined here.',
  'issue.header_auth_conflict': 'Authentication already sets this header.',
  'issue.header_duplicate': 'This header is defined twice.',
  'issue.header_value_invalid': 'Header values may contain only visible ASCII characters, spaces and tabs.',
  'issue.body_not_allowed': 'Only POST, PUT and PATCH requests have a body.',
  'issue.body_invalid': 'The body is not valid JSON (or form-urlencoded text).',
  'issue.body_placeholder_position':
    'In the body, placeholders may appear only inside string values, never as keys or bare values.',
  'issue.auth_header_name_invalid': 'This is not a valid header name.',
  'issue.oauth_client_id_invalid': 'Enter the client ID in visible ASCII characters.',
  'issue.oauth_scope_invalid': 'Write the scope as names separated by single spaces.',
  'issue.oauth_audience_invalid': 'The audience may contain only visible ASCII characters.',
  'issue.value_required': 'Enter a value.',
  'issue.value_type': 'This value has the wrong type.',
  'issue.value_too_long': 'This value is too long.',
  'issue.value_email': 'Enter an email address.',
  'issue.value_phone': 'Enter a phone number with its country code.',
  'issue.value_number': 'Enter a number, like 42 or 3.5.',
  'issue.value_integer': 'Enter a whole number, like 3.',
  'issue.value_boolean': 'Enter true or false.',
  'issue.value_enum': 'Choose one of the choices.',
  'issue.value_date': 'Enter a calendar date as YYYY-MM-DD.',
  'issue.value_characters': 'This value contains characters that are not allowed.',
  'issue.value_path_segment': 'This value cannot be used as a URL path segment.',
  'issue.value_header': 'Header values may contain only visible ASCII characters, spaces and tabs.',
  'issue.body_too_large': 'The rendered body is too large.',
  'issue.identity_unverified': 'The visitor is not verified with a signed JWT.',
  'issue.identity_field_missing': 'The verified identity has no value for this field.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
