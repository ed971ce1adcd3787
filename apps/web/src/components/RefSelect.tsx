import { useState } from 'react';
import { Select, type SelectProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Page } from '../api/types.ts';

/** Picks a record of another collection by searching its list (`q`). Value is the id. */
export function RefSelect({
  type,
  filter,
  value,
  onChange,
  ...rest
}: { type: string; filter?: Record<string, string>; value?: string | null; onChange?: (v: string | null) => void } & Omit<
  SelectProps,
  'value' | 'onChange' | 'options'
>) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: [type, 'pick', q, filter],
    queryFn: ({ signal }) => api.get<Page<{ id: string; name: string }>>(`/${type}`, { q, limit: 20, sort: 'name', ...filter }, signal),
    staleTime: 30_000,
  });
  const current = useQuery({
    queryKey: [type, 'record', value],
    queryFn: ({ signal }) => api.get<{ id: string; name: string }>(`/${type}/${value}`, undefined, signal),
    enabled: !!value && !list.data?.items.some((i) => i.id === value),
    staleTime: 60_000,
  });
  const options = (list.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }));
  if (value && current.data && !options.some((o) => o.value === value)) options.unshift({ value, label: current.data.name });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      onSearch={setQ}
      loading={list.isFetching}
      notFoundContent={list.isFetching ? t('common.loading') : t('list.noMatch')}
      value={value ?? undefined}
      onChange={(v) => onChange?.((v as string | undefined) ?? null)}
      options={options}
      {...rest}
    />
  );
}
