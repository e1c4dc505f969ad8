export {
  DataKeyring,
  type KeyringOptions,
  loadKeyring,
  type WrappedUnder,
  wrappedMasterKeyId,
} from './keyring';
export {
  KEY_FILE_NAME,
  keyFilePathIn,
  type MasterKey,
  type MasterKeyOptions,
  type MasterKeys,
  type MasterKeysOptions,
  masterKeyId,
  parseMasterKey,
  resolveMasterKey,
  resolveMasterKeys,
} from './master-key';
export { aadOf, type RotationCounts, rotateKeys } from './rotate';
export { type MasterRotationCounts, rotateMasterKey } from './rotate-master';
export { credentialAad, identitySecretAad, type Keyring, KeyringError, type KeyringErrorCode } from './types';
