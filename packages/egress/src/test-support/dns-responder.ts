import { createSocket, type RemoteInfo } from 'node:dgram';
import { once } from 'node:events';
import ipaddr from 'ipaddr.js';

/**
 * A name server on loopback UDP for tests, small enough to read: it answers A and AAAA questions
 * for the names it is given, says NXDOMAIN for other names, and never answers anything under a
 * `silent` zone, as a hostile or broken zone's server would (the query just goes unanswered).
 * It speaks only what c-ares asks: one question per message, no compression in the question.
 */

export interface DnsRecords {
  A?: readonly string[];
  AAAA?: readonly string[];
}

export interface DnsResponderOptions {
  /** Fully qualified names (lower case, no trailing dot) and their records. */
  names: Readonly<Record<string, DnsRecords>>;
  /** Zones (`hostile.test`) whose names are never answered. */
  silent?: readonly string[];
}

export interface DnsQuestion {
  name: string;
  type: 'A' | 'AAAA' | number;
}

export interface DnsResponder {
  /** `127.0.0.1:<port>`, as `setServers` and `AIHIO_EGRESS_DNS_SERVERS` take it. */
  server: string;
  /** Every question received, answered or not. */
  questions: DnsQuestion[];
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_AAAA = 28;
const CLASS_IN = 1;
const NXDOMAIN = 3;

/** The question's name, type and where the question section ends; null when malformed. */
function readQuestion(message: Buffer): { name: string; type: number; end: number } | null {
  if (message.length < 12 || message.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let offset = 12;
  while (offset < message.length) {
    const length = message[offset]!;
    if (length === 0) break;
    // A compression pointer or an extended label type: not in a question c-ares sends.
    if (length > 63) return null;
    labels.push(message.toString('latin1', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  if (offset + 5 > message.length) return null;
  return { name: labels.join('.').toLowerCase(), type: message.readUInt16BE(offset + 1), end: offset + 5 };
}

function answer(query: Buffer, question: { type: number; end: number }, records: DnsRecords | undefined) {
  const addresses =
    records === undefined ? [] : ((question.type === TYPE_A ? records.A : records.AAAA) ?? []);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // the id
  // QR, the client's RD, RA; NXDOMAIN for a name we do not know, else NOERROR (maybe no data).
  header.writeUInt16BE(0x8080 | (query.readUInt16BE(2) & 0x0100) | (records === undefined ? NXDOMAIN : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const parts = [header, query.subarray(12, question.end)];
  for (const address of addresses) {
    const bytes = Buffer.from(ipaddr.parse(address).toByteArray());
    const record = Buffer.alloc(12);
    record.writeUInt16BE(0xc00c, 0); // the question's name
    record.writeUInt16BE(question.type, 2);
    record.writeUInt16BE(CLASS_IN, 4);
    record.writeUInt32BE(60, 6);
    record.writeUInt16BE(bytes.length, 10);
    parts.push(record, bytes);
  }
  return Buffer.concat(parts);
}

export async function startDnsResponder(options: DnsResponderOptions): Promise<DnsResponder> {
  const socket = createSocket('udp4');
  const questions: DnsQuestion[] = [];
  const silent = (name: string) =>
    (options.silent ?? []).some((zone) => name === zone || name.endsWith(`.${zone}`));
  socket.on('message', (message: Buffer, peer: RemoteInfo) => {
    const question = readQuestion(message);
    if (question === null) return;
    const type = question.type === TYPE_A ? 'A' : question.type === TYPE_AAAA ? 'AAAA' : question.type;
    questions.push({ name: question.name, type });
    if (silent(question.name)) return;
    const records = Object.hasOwn(options.names, question.name) ? options.names[question.name] : undefined;
    socket.send(answer(message, question, records), peer.port, peer.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return {
    server: `127.0.0.1:${socket.address().port}`,
    questions,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
