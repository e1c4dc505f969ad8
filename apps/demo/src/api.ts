import {
  type Chatbot,
  chatbotListResponseSchema,
  chatbotSchema,
  type MeResponse,
  meResponseSchema,
  routePath,
} from '@aihio/actions-core';
import { useQuery } from '@tanstack/react-query';
import { currentWorkspace, devHeaders } from './preferences';

/**
 * The host app's own calls to the BFF (who am I, which chatbots), parsed with the same core
 * schemas the kit uses. The BFF runs in development auth, so no session token is sent (only the
 * development workspace header); a real host would add its session token here and in `ActionsProvider`.
 */
async function getJson<T>(path: string, schema: { parse(value: unknown): T }): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json', ...devHeaders() } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return schema.parse(await res.json());
}

export function useMe() {
  return useQuery<MeResponse>({
    queryKey: ['demo', currentWorkspace(), 'me'],
    queryFn: () => getJson(routePath('me'), meResponseSchema),
  });
}

export function useChatbots() {
  return useQuery<Chatbot[]>({
    queryKey: ['demo', currentWorkspace(), 'chatbots'],
    queryFn: async () => (await getJson(routePath('chatbots'), chatbotListResponseSchema)).chatbots,
  });
}

export function useChatbot(chatbotId: string) {
  return useQuery<Chatbot>({
    queryKey: ['demo', currentWorkspace(), 'chatbot', chatbotId],
    queryFn: () => getJson(routePath('chatbot', { chatbotId }), chatbotSchema),
  });
}
