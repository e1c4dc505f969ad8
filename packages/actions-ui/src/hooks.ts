import type { ActionDefinition, Chatbot, RunRecord, StoredAction, TestResult } from '@aihio/actions-core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActionsApiError, TestActionInput } from './client';
import { useActionsClient } from './provider';

/** Query keys, exported so hosts can invalidate or prefetch. */
export const actionKeys = {
  all: ['aihio-actions'] as const,
  me: () => [...actionKeys.all, 'me'] as const,
  chatbot: (chatbotId: string) => [...actionKeys.all, 'chatbot', chatbotId, 'detail'] as const,
  list: (chatbotId: string) => [...actionKeys.all, 'chatbot', chatbotId, 'actions'] as const,
  detail: (chatbotId: string, actionId: string) =>
    [...actionKeys.all, 'chatbot', chatbotId, 'action', actionId] as const,
  runs: (chatbotId: string, actionId: string) =>
    [...actionKeys.all, 'chatbot', chatbotId, 'action', actionId, 'runs'] as const,
};

export function useMe() {
  const client = useActionsClient('useMe');
  return useQuery<Awaited<ReturnType<typeof client.me>>, ActionsApiError>({
    queryKey: actionKeys.me(),
    queryFn: ({ signal }) => client.me(signal),
  });
}

/** The chatbot, with whether an identity secret is set (`identitySecret: { last4 } | null`). */
export function useChatbot(chatbotId: string) {
  const client = useActionsClient('useChatbot');
  return useQuery<Chatbot, ActionsApiError>({
    queryKey: actionKeys.chatbot(chatbotId),
    queryFn: ({ signal }) => client.getChatbot(chatbotId, signal),
  });
}

/** Set or rotate the chatbot's identity secret; the answer (last4 only) replaces the cached chatbot. */
export function useSetIdentitySecret(chatbotId: string) {
  const client = useActionsClient('useSetIdentitySecret');
  const queryClient = useQueryClient();
  return useMutation<Chatbot, ActionsApiError, { secret: string }>({
    mutationFn: ({ secret }) => client.setIdentitySecret(chatbotId, secret),
    onSuccess: (chatbot) => queryClient.setQueryData(actionKeys.chatbot(chatbotId), chatbot),
  });
}

export function useRemoveIdentitySecret(chatbotId: string) {
  const client = useActionsClient('useRemoveIdentitySecret');
  const queryClient = useQueryClient();
  return useMutation<Chatbot, ActionsApiError, void>({
    mutationFn: () => client.removeIdentitySecret(chatbotId),
    onSuccess: (chatbot) => queryClient.setQueryData(actionKeys.chatbot(chatbotId), chatbot),
  });
}

export function useActions(chatbotId: string) {
  const client = useActionsClient('useActions');
  return useQuery<StoredAction[], ActionsApiError>({
    queryKey: actionKeys.list(chatbotId),
    queryFn: ({ signal }) => client.listActions(chatbotId, signal),
  });
}

export function useAction(chatbotId: string, actionId: string | undefined) {
  const client = useActionsClient('useAction');
  return useQuery<StoredAction, ActionsApiError>({
    queryKey: actionKeys.detail(chatbotId, actionId ?? ''),
    queryFn: ({ signal }) => client.getAction(chatbotId, actionId ?? '', signal),
    enabled: actionId !== undefined,
  });
}

export function useRuns(chatbotId: string, actionId: string) {
  const client = useActionsClient('useRuns');
  return useQuery<RunRecord[], ActionsApiError>({
    queryKey: actionKeys.runs(chatbotId, actionId),
    queryFn: ({ signal }) => client.listRuns(chatbotId, actionId, signal),
  });
}

function useStoreAction(chatbotId: string) {
  const queryClient = useQueryClient();
  return (action: StoredAction) => {
    queryClient.setQueryData(actionKeys.detail(chatbotId, action.id), action);
    queryClient.setQueryData<StoredAction[]>(actionKeys.list(chatbotId), (list) =>
      list?.some((a) => a.id === action.id)
        ? list.map((a) => (a.id === action.id ? action : a))
        : list
          ? [...list, action]
          : list,
    );
  };
}

export interface SaveActionVariables {
  definition: ActionDefinition;
  /** Set to update a stored action; omitted to create one. */
  actionId?: string;
  /** The version the edit started from (sent as If-Match). */
  version?: number;
}

/** Create or update. A stale version rejects with `code: 'version_conflict'`. */
export function useSaveAction(chatbotId: string) {
  const client = useActionsClient('useSaveAction');
  const queryClient = useQueryClient();
  const store = useStoreAction(chatbotId);
  return useMutation<StoredAction, ActionsApiError, SaveActionVariables>({
    mutationFn: ({ definition, actionId, version }) =>
      actionId === undefined || version === undefined
        ? client.createAction(chatbotId, definition)
        : client.updateAction(chatbotId, actionId, definition, version),
    onSuccess: store,
    onSettled: () => queryClient.invalidateQueries({ queryKey: actionKeys.list(chatbotId) }),
  });
}

export function useDeleteAction(chatbotId: string) {
  const client = useActionsClient('useDeleteAction');
  const queryClient = useQueryClient();
  return useMutation<void, ActionsApiError, { actionId: string }>({
    mutationFn: ({ actionId }) => client.deleteAction(chatbotId, actionId),
    onSuccess: (_, { actionId }) => {
      queryClient.setQueryData<StoredAction[]>(actionKeys.list(chatbotId), (list) =>
        list?.filter((a) => a.id !== actionId),
      );
      queryClient.removeQueries({ queryKey: actionKeys.detail(chatbotId, actionId) });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: actionKeys.list(chatbotId) }),
  });
}

/** Optimistic: the toggle flips at once and rolls back if the server refuses. */
export function useSetEnabled(chatbotId: string) {
  const client = useActionsClient('useSetEnabled');
  const queryClient = useQueryClient();
  const store = useStoreAction(chatbotId);
  const listKey = actionKeys.list(chatbotId);
  return useMutation<
    StoredAction | null,
    ActionsApiError,
    { actionId: string; enabled: boolean },
    { previous: StoredAction[] | undefined }
  >({
    mutationFn: ({ actionId, enabled }) => client.setEnabled(chatbotId, actionId, enabled),
    onMutate: async ({ actionId, enabled }) => {
      await queryClient.cancelQueries({ queryKey: listKey });
      const previous = queryClient.getQueryData<StoredAction[]>(listKey);
      queryClient.setQueryData<StoredAction[]>(listKey, (list) =>
        list?.map((a) => (a.id === actionId ? { ...a, enabled } : a)),
      );
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context) queryClient.setQueryData(listKey, context.previous);
    },
    onSuccess: (action) => {
      if (action) store(action);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
  });
}

export interface SetCredentialVariables {
  actionId: string;
  secret: string;
  /**
   * The version the owner saw (sent as If-Match). Pass it: a credential is then never stored
   * against an edit made meanwhile (another host or auth); that rejects with `version_conflict`.
   */
  version?: number;
}

export interface RemoveCredentialVariables {
  actionId: string;
  /** The version the owner saw (sent as If-Match); a stale one rejects with `version_conflict`. */
  version?: number;
}

export function useSetCredential(chatbotId: string) {
  const client = useActionsClient('useSetCredential');
  const queryClient = useQueryClient();
  const store = useStoreAction(chatbotId);
  return useMutation<StoredAction | null, ActionsApiError, SetCredentialVariables>({
    mutationFn: ({ actionId, secret, version }) => client.setCredential(chatbotId, actionId, secret, version),
    onSuccess: (action) => {
      if (action) store(action);
    },
    onSettled: (_data, _error, { actionId }) =>
      queryClient.invalidateQueries({ queryKey: actionKeys.detail(chatbotId, actionId) }),
  });
}

export function useRemoveCredential(chatbotId: string) {
  const client = useActionsClient('useRemoveCredential');
  const queryClient = useQueryClient();
  const store = useStoreAction(chatbotId);
  return useMutation<StoredAction | null, ActionsApiError, RemoveCredentialVariables>({
    mutationFn: ({ actionId, version }) => client.removeCredential(chatbotId, actionId, version),
    onSuccess: (action) => {
      if (action) store(action);
    },
    onSettled: (_data, _error, { actionId }) =>
      queryClient.invalidateQueries({ queryKey: actionKeys.detail(chatbotId, actionId) }),
  });
}

/**
 * Test a draft (pass `action`) or the saved action. A failed call resolves as `{ ok: false }`.
 * A test of the saved action is recorded: its run history and the list's "last run" reload.
 */
export function useTestAction(chatbotId: string, actionId?: string) {
  const client = useActionsClient('useTestAction');
  const queryClient = useQueryClient();
  return useMutation<TestResult, ActionsApiError, TestActionInput>({
    mutationFn: (input) => client.testAction(chatbotId, actionId, input),
    onSettled: () => {
      if (!actionId) return;
      void queryClient.invalidateQueries({ queryKey: actionKeys.runs(chatbotId, actionId) });
      void queryClient.invalidateQueries({ queryKey: actionKeys.list(chatbotId), exact: true });
    },
  });
}
