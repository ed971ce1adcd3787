import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { App, Button, Checkbox, Dropdown, Flex, Input, Modal, Popover, Progress, Space, Typography, type TableColumnType } from 'antd';
import { DownloadOutlined, EyeOutlined, SaveOutlined, SettingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../api/client.ts';
import { fetchAll } from '../api/hooks.ts';
import type { User } from '../api/types.ts';
import { useAuth } from '../auth/auth.tsx';
import { EXPORT_CAP, fetchRows, toCsv, toXlsx, type Cell } from '../lib/exportRows.ts';
import { download } from '../lib/download.ts';
import { problemMessage } from './errors.ts';

export interface ExportHelpers {
  t: TFunction;
  /** A user's name (or "" when the role may not read users). */
  owner: (id: string | null | undefined) => string;
  /** An account's name (loaded once for the export). */
  account: (id: string | null | undefined) => string;
}

/** A list column that also knows its plain value for export. */
export type ListColumn<T> = TableColumnType<T> & {
  key: string;
  title: string;
  exportValue?: (r: T, x: ExportHelpers) => Cell;
  /** Export needs account names. */
  needsAccounts?: boolean;
};

interface SavedView {
  name: string;
  /** The list's URL query (filters and sort). */
  query: string;
  hidden: string[];
}

function readJson<T>(key: string, fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}
function writeJson(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the choice lasts for this page only */
  }
}

/**
 * A list's column chooser, saved views (named filters + sort + columns, kept per user in this
 * browser's localStorage) and export of the whole filtered list to CSV or Excel.
 */
export function useListTools<T>({ list, type, columns, params }: { list: string; type: string; columns: Array<ListColumn<T>>; params: Record<string, string | number | undefined> }) {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const [sp, setSp] = useSearchParams();
  const uid = me?.user.id ?? 'anon';
  const colsKey = `openltc.columns.${uid}.${list}`;
  const viewsKey = `openltc.views.${uid}.${list}`;
  const [hidden, setHiddenState] = useState<string[]>(() => readJson(colsKey, []));
  const [views, setViewsState] = useState<SavedView[]>(() => readJson(viewsKey, []));
  const setHidden = useCallback(
    (h: string[]) => {
      setHiddenState(h);
      writeJson(colsKey, h);
    },
    [colsKey],
  );
  const setViews = (v: SavedView[]) => {
    setViewsState(v);
    writeJson(viewsKey, v);
  };
  const visible = useMemo(() => columns.filter((c) => !hidden.includes(c.key)), [columns, hidden]);

  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: ({ signal }) => api.get<{ items: User[] }>('/users', undefined, signal),
    enabled: can('user'),
    staleTime: 5 * 60_000,
  });

  // ---- saved views
  const [naming, setNaming] = useState(false);
  const [viewName, setViewName] = useState('');
  const currentQuery = () => {
    const q = new URLSearchParams(sp);
    q.delete('view');
    return q.toString();
  };
  const saveView = () => {
    const name = viewName.trim();
    if (!name) return;
    setViews([...views.filter((v) => v.name !== name), { name, query: currentQuery(), hidden }]);
    setNaming(false);
    setViewName('');
    void message.success(t('views.saved', { name }));
  };
  const applyView = (v: SavedView) => {
    setHidden(v.hidden);
    setSp(new URLSearchParams(v.query), { replace: true });
  };
  const activeView = views.find((v) => v.query === currentQuery() && v.hidden.join() === hidden.join());

  // ---- export
  const [progress, setProgress] = useState<{ n: number; format: 'csv' | 'xlsx' } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const runExport = async (format: 'csv' | 'xlsx') => {
    const ctl = new AbortController();
    abort.current = ctl;
    setProgress({ n: 0, format });
    try {
      const query = { ...params };
      delete query.limit;
      delete query.cursor;
      const { items, truncated } = await fetchRows<T>(type, query, (n) => setProgress({ n, format }), ctl.signal);
      const cols = visible.filter((c) => c.exportValue);
      const accounts = new Map<string, string>();
      if (cols.some((c) => c.needsAccounts) && can('account')) {
        const all = await fetchAll<{ id: string; name: string }>('accounts', {}, 20_000, ctl.signal);
        for (const a of all.items) accounts.set(a.id, a.name);
      }
      const x: ExportHelpers = {
        t,
        owner: (id) => (!id ? '' : id === me?.user.id ? me.user.name : (users.data?.items.find((u) => u.id === id)?.name ?? '')),
        account: (id) => (id ? (accounts.get(id) ?? '') : ''),
      };
      const headers = cols.map((c) => c.title);
      const rows = items.map((r) => cols.map((c) => c.exportValue!(r, x)));
      const stamp = new Date().toISOString().slice(0, 10);
      const base = `${t(`nav.${list}`, { defaultValue: list })}-${stamp}`;
      if (format === 'csv') download(new Blob([toCsv(headers, rows)], { type: 'text/csv;charset=utf-8' }), `${base}.csv`);
      else download(await toXlsx(t(`nav.${list}`, { defaultValue: list }), headers, rows), `${base}.xlsx`);
      if (truncated) void message.warning(t('export.truncated', { cap: EXPORT_CAP.toLocaleString() }));
      else void message.success(t('export.done', { count: items.length }));
    } catch (e) {
      if ((e as Error)?.name !== 'AbortError') void message.error(problemMessage(t, e));
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };

  const chooser = (
    <Flex vertical gap={6} style={{ minWidth: 180 }}>
      {columns.map((c) => (
        <Checkbox
          key={c.key}
          checked={!hidden.includes(c.key)}
          disabled={!hidden.includes(c.key) && visible.length === 1}
          onChange={(e) => setHidden(e.target.checked ? hidden.filter((k) => k !== c.key) : [...hidden, c.key])}
        >
          {c.title}
        </Checkbox>
      ))}
      {hidden.length > 0 && (
        <Button size="small" type="link" onClick={() => setHidden([])} style={{ padding: 0, alignSelf: 'flex-start' }}>
          {t('columns.showAll')}
        </Button>
      )}
    </Flex>
  );

  const tools: ReactNode = (
    <Space wrap>
      <Dropdown
        trigger={['click']}
        menu={{
          selectable: true,
          selectedKeys: activeView ? [`v:${activeView.name}`] : [],
          items: [
            ...views.map((v) => ({
              key: `v:${v.name}`,
              label: (
                <Flex justify="space-between" gap={16}>
                  <span>{v.name}</span>
                  <a
                    onClick={(e) => {
                      e.stopPropagation();
                      setViews(views.filter((w) => w.name !== v.name));
                    }}
                    aria-label={t('views.delete', { name: v.name })}
                  >
                    {t('views.remove')}
                  </a>
                </Flex>
              ),
            })),
            ...(views.length ? [{ type: 'divider' as const }] : []),
            { key: 'save', icon: <SaveOutlined />, label: t('views.saveCurrent') },
          ],
          onClick: ({ key }) => {
            if (key === 'save') return setNaming(true);
            const v = views.find((w) => `v:${w.name}` === key);
            if (v) applyView(v);
          },
        }}
      >
        <Button icon={<EyeOutlined />} data-testid="views-button">
          {activeView ? activeView.name : t('views.title')}
        </Button>
      </Dropdown>
      <Popover trigger="click" placement="bottomRight" title={t('columns.title')} content={chooser}>
        <Button icon={<SettingOutlined />} data-testid="columns-button">
          {t('columns.title')}
        </Button>
      </Popover>
      <Dropdown
        trigger={['click']}
        disabled={!!progress}
        menu={{
          items: [
            { key: 'csv', label: t('export.csv') },
            { key: 'xlsx', label: t('export.xlsx') },
          ],
          onClick: ({ key }) => void runExport(key as 'csv' | 'xlsx'),
        }}
      >
        <Button icon={<DownloadOutlined />} loading={!!progress} data-testid="export-button">
          {t('export.title')}
        </Button>
      </Dropdown>
      <Modal
        open={naming}
        title={t('views.saveCurrent')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !viewName.trim() }}
        onOk={saveView}
        onCancel={() => setNaming(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('views.hint')}</Typography.Paragraph>
        <Input autoFocus maxLength={60} value={viewName} onChange={(e) => setViewName(e.target.value)} onPressEnter={saveView} aria-label={t('views.name')} placeholder={t('views.name')} data-testid="view-name" />
      </Modal>
      <Modal
        open={!!progress}
        title={t('export.running')}
        closable={false}
        maskClosable={false}
        okButtonProps={{ style: { display: 'none' } }}
        cancelText={t('common.cancel')}
        onCancel={() => abort.current?.abort()}
      >
        <Progress percent={progress ? Math.min(99, Math.round((progress.n / EXPORT_CAP) * 100)) : 0} showInfo={false} status="active" />
        <Typography.Text type="secondary" data-testid="export-progress">
          {t('export.progress', { count: progress?.n ?? 0 })}
        </Typography.Text>
      </Modal>
    </Space>
  );

  return { columns: visible, tools };
}
