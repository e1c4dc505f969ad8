export { DataKeyring, type KeyringOptions, loadKeyring } from './keyring';
export {
  KEY_FILE_NAME,
  keyFilePathIn,
  type MasterKey,
  type MasterKeyOptions,
  parseMasterKey,
  resolveMasterKey,
} from './master-key';
export { aadOf, type RotationCounts, rotateKeys } from './rotate';
export { credentialAad, identitySecretAad, type Keyring, KeyringError, type KeyringErrorCode } from './types';
