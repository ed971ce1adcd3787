import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

/**
 * Lead import and scoring rules as the server describes them (see the API docs, tag "Lead import").
 * What a column may fill and what a rule may test come from GET /leads/import/schema (useImportSchema);
 * the page keeps no copy of the server's lists.
 */
export type ValueKind = 'none' | 'list' | 'number' | 'text';

export interface ImportSchema {
  fields: Array<{
    key: string;
    labelKey: string;
    kind: 'text' | 'email' | 'phone';
    required: boolean;
    maxLength: number | null;
    scorable: boolean;
  }>;
  customFields: { pattern: string; suggested: Array<{ key: string; labelKey: string; kind: 'text' | 'number' }> };
  encodings: Array<{ key: string; labelKey: string | null; label: string | null }>;
  maxFileBytes: number;
  inlineMaxRows: number;
  scoring: { fields: string[]; operators: Array<{ key: string; labelKey: string; value: ValueKind }> };
}

/** The import and scoring schema: the same for every user, so kept for the session once read. */
export function useImportSchema() {
  return useQuery({
    queryKey: ['lead-import', 'schema'],
    queryFn: ({ signal }) => api.get<ImportSchema>('/leads/import/schema', undefined, signal),
    staleTime: Infinity,
  });
}

export interface ImportPreview {
  fileName: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  headers: string[];
  mapping: Record<string, string | null>;
  sample: string[][];
  totalRows: number;
  inline: boolean;
}

export interface ImportBatch {
  id: string;
  fileName: string;
  format: string;
  encoding: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  dedupe: 'skip' | 'update';
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  duplicates: number;
  errors: number;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
  job: { id: string; status: string; attempts: number; lastError: string | null } | null;
}

export interface ImportIssue {
  rowNo: number;
  kind: 'error' | 'duplicate' | 'updated';
  field: string | null;
  code: string;
  message: string;
  matchedOn: string | null;
  matchedRowNo: number | null;
  matchedLead: {
    id: string;
    name: string | null;
    company: string | null;
    email: string | null;
    phone: string | null;
  } | null;
}

export type ScoringOperator = string;

export interface ScoringRule {
  id: string;
  name: string;
  field: string;
  operator: ScoringOperator;
  value: string | number | string[] | null;
  points: number;
  active: boolean;
  position: number;
  version: number;
}

export interface ScoreReason {
  ruleId: string;
  name: string;
  points: number;
}

export function useScoringRules(enabled = true) {
  return useQuery({
    queryKey: ['lead-scoring', 'rules'],
    queryFn: ({ signal }) => api.get<{ items: ScoringRule[] }>('/lead-scoring/rules', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}

/** A File as base64 (what the import API takes). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('the file cannot be read'));
    r.readAsDataURL(file);
  });
}
