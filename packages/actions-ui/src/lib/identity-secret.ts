/**
 * The chatbot's identity secret, made in the owner's browser: 32 random bytes from the platform's
 * CSPRNG, base64url (43 characters, above the BFF's 32-character floor: a visitor holding a token
 * could otherwise guess a short secret offline). It never passes through anything but the PUT.
 */
export function generateIdentitySecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * What the owner's server runs to mint a visitor token the BFF accepts (apps/bff's
 * verifyVisitorIdentity): HS256 signed with the secret, `exp` required and at most 24 h ahead,
 * `aud` (optional) naming this chatbot, and the claims `sub` → user_id, `email`, `name`, `phone`.
 */
export function visitorTokenSnippet(chatbotId: string): string {
  return `// npm install jose
import { SignJWT } from 'jose';

// The secret lives on your server only (never in the browser).
const secret = new TextEncoder().encode(process.env.AIHIO_IDENTITY_SECRET);

// Call it when you render the chat widget for a signed-in user.
export async function visitorToken(user) {
  return new SignJWT({ email: user.email, name: user.name, phone: user.phone })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(user.id)) // {{identity.user_id}}
    .setAudience(${JSON.stringify(chatbotId)})
    .setIssuedAt()
    .setExpirationTime('1h') // at most 24 hours
    .sign(secret);
}
`;
}
