export type { ActionsClient, ActionsClientOptions, FetchLike, TestActionInput } from './client';
export { ActionsApiError, createActionsClient, isActionsApiError } from './client';
export type {
  ActionEditorContextValue,
  ActionEditorProps,
  ActionEditorRootProps,
  ActionEditorSaveContext,
  ActionFormValues,
  EditorSaveState,
  EditorSectionEntry,
  EditorSectionProps,
} from './components/ActionEditor';
export { ActionEditor, toDefinition, useActionEditor } from './components/ActionEditor';
export type { ActionListProps } from './components/ActionList';
export { ActionList } from './components/ActionList';
export type { ActionRunIndicatorProps } from './components/ActionRunIndicator';
export { ActionRunIndicator } from './components/ActionRunIndicator';
export type { AuthPickerProps } from './components/AuthPicker';
export { AuthPicker } from './components/AuthPicker';
export type { ConfirmationSettingsProps } from './components/ConfirmationSettings';
export { ConfirmationSettings } from './components/ConfirmationSettings';
export type { CurlImportDialogProps, CurlImportResult } from './components/CurlImportDialog';
export { CurlImportDialog } from './components/CurlImportDialog';
export type { EnumChoicesEditorProps } from './components/EnumChoicesEditor';
export { EnumChoicesEditor } from './components/EnumChoicesEditor';
export type {
  UnsavedChangesDialogProps,
  UnsavedChangesGuard,
} from './components/editor/UnsavedChangesDialog';
export { UnsavedChangesDialog, useUnsavedChangesGuard } from './components/editor/UnsavedChangesDialog';
export { describedBy, FieldMessages } from './components/field';
export type { GdprNoticeProps } from './components/GdprNotice';
export { GdprNotice } from './components/GdprNotice';
export type { IdentitySecretSetupProps } from './components/IdentitySecretSetup';
export { IdentitySecretSetup } from './components/IdentitySecretSetup';
export type { OpenApiImportDialogProps } from './components/OpenApiImportDialog';
export { OpenApiImportDialog } from './components/OpenApiImportDialog';
export type { ParameterTableProps } from './components/ParameterTable';
export { ParameterTable } from './components/ParameterTable';
export type { RunHistoryProps, RunHistoryRun, RunSourceFilter } from './components/RunHistory';
export { RunHistory } from './components/RunHistory';
export type { TemplateInputProps, TemplateSuggestion } from './components/TemplateInput';
export { TemplateInput } from './components/TemplateInput';
export type { TestOutcome, TestPanelProps } from './components/TestPanel';
export { TestPanel } from './components/TestPanel';
export type { BadgeProps, BadgeVariant } from './components/ui/badge';
export { Badge } from './components/ui/badge';
export type { ButtonProps, ButtonSize, ButtonVariant } from './components/ui/button';
export { Button } from './components/ui/button';
export { Checkbox } from './components/ui/checkbox';
export type { RadioCardProps } from './components/ui/radio-group';
export { RadioCard, RadioGroup, RadioGroupItem } from './components/ui/radio-group';
export {
  Select,
  SelectContent,
  SelectGroup,
  SelectItem,
  SelectLabel,
  SelectSeparator,
  SelectTrigger,
  SelectValue,
} from './components/ui/select';
export { Switch } from './components/ui/switch';
export type { ToasterProps, ToastOptions, ToastVariant } from './components/ui/toast';
export { Toaster, useToast } from './components/ui/toast';
export type { RemoveCredentialVariables, SaveActionVariables, SetCredentialVariables } from './hooks';
export {
  actionKeys,
  useAction,
  useActions,
  useChatbot,
  useDeleteAction,
  useMe,
  useRemoveCredential,
  useRemoveIdentitySecret,
  useRuns,
  useSaveAction,
  useSetCredential,
  useSetEnabled,
  useSetIdentitySecret,
  useTestAction,
} from './hooks';
export type { MessageKey, Messages } from './i18n/en';
export { en as messagesEn } from './i18n/en';
export { fi as messagesFi } from './i18n/fi';
export type { Locale, Translator } from './i18n/translate';
export { createTranslator } from './i18n/translate';
export { generateIdentitySecret, visitorTokenSnippet } from './lib/identity-secret';
export type { TemplateUsage, UsageLocation } from './lib/usage';
export { templateUsage } from './lib/usage';
export type { ActionsProviderProps, Theme } from './provider';
export { ActionsProvider, useTranslator } from './provider';
