import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { App, Button, Checkbox, Dropdown, Flex, Input, Modal, Popover, Progress, Radio, Space, Tag, Tooltip, Typography, type TableColumnType } from 'antd';
import { DownloadOutlined, EyeOutlined, SaveOutlined, SettingOutlined, StarFilled, StarOutlined, SyncOutlined, TeamOutlined, GlobalOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, request } from '../api/client.ts';
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

/** A saved view as the server keeps it (GET /api/v1/saved-views). */
export interface SavedView {
  id: string;
  list: string;
  name: string;
  filters: Record<string, string>;
  sort: string | null;
  /** Visible column keys in order; null: the list's default columns. */
  columns: string[] | null;
  sharing: 'private' | 'team' | 'everyone';
  ownerName: string | null;
  mine: boolean;
  isDefault: boolean;
  version: number;
}

/** The views this browser kept before they moved to the server (migrated once, then removed). */
interface LocalView {
  name: string;
  query: string;
  hidden: string[];
}

/** A list URL's query as a saved view's filters and sort (the `view` marker and paging left out). */
export function viewOfQuery(query: string): { filters: Record<string, string>; sort: string | null } {
  const q = new URLSearchParams(query);
  const filters: Record<string, string> = {};
  let sort: string | null = null;
  for (const [k, v] of q) {
    if (k === 'sort') sort = v;
    else if (k !== 'view' && k !== 'cursor' && /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(k)) filters[k] = v;
  }
  return { filters, sort };
}

/** A saved view back to a list URL query. */
export function queryOfView(v: Pick<SavedView, 'filters' | 'sort'>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, val] of Object.entries(v.filters)) q.set(k, val);
  if (v.sort) q.set('sort', v.sort);
  return q;
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
 * A list's column chooser, saved views (named filters + sort + columns, kept per user on the server,
 * shareable with the team or everyone, one default per list) and export of the whole filtered list
 * to CSV or Excel. Views this browser kept in localStorage before are moved to the server once.
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
  const setHidden = useCallback(
    (h: string[]) => {
      setHiddenState(h);
      writeJson(colsKey, h);
    },
    [colsKey],
  );
  const qc = useQueryClient();
  const viewsQuery = useQuery({
    queryKey: ['saved-views', list, uid],
    queryFn: ({ signal }) => api.get<{ items: SavedView[] }>('/saved-views', { list }, signal),
    enabled: !!me,
    staleTime: 60_000,
  });
  const views = useMemo(() => viewsQuery.data?.items ?? [], [viewsQuery.data]);
  const refreshViews = () => qc.invalidateQueries({ queryKey: ['saved-views', list] });
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
  const [sharing, setSharing] = useState<SavedView['sharing']>('private');
  const [asDefault, setAsDefault] = useState(false);
  const allKeys = columns.map((c) => c.key);
  const visibleKeys = allKeys.filter((k) => !hidden.includes(k));
  const current = viewOfQuery(sp.toString());
  const sameView = (v: SavedView) =>
    v.sort === current.sort &&
    JSON.stringify(Object.entries(v.filters).sort()) === JSON.stringify(Object.entries(current.filters).sort()) &&
    (v.columns ?? allKeys).filter((k) => allKeys.includes(k)).join() === visibleKeys.join();
  const activeView = views.find(sameView);
  const fail = (e: unknown) => void message.error(problemMessage(t, e));
  const saveView = async () => {
    const name = viewName.trim();
    if (!name) return;
    try {
      await api.post('/saved-views', { list, name, ...current, columns: visibleKeys, sharing, isDefault: asDefault });
      setNaming(false);
      setViewName('');
      void message.success(t('views.saved', { name }));
      await refreshViews();
    } catch (e) {
      fail(e);
    }
  };
  const updateView = async (v: SavedView) => {
    try {
      await api.patch(`/saved-views/${v.id}`, { ...current, columns: visibleKeys }, v.version);
      void message.success(t('savedViews.updated', { name: v.name }));
      await refreshViews();
    } catch (e) {
      fail(e);
    }
  };
  const deleteView = async (v: SavedView) => {
    try {
      await request('DELETE', `/saved-views/${v.id}`);
      void message.success(t('savedViews.deleted', { name: v.name }));
      await refreshViews();
    } catch (e) {
      fail(e);
    }
  };
  const toggleDefault = async (v: SavedView) => {
    try {
      await request(v.isDefault ? 'DELETE' : 'PUT', `/saved-views/${v.id}/default`, v.isDefault ? {} : { body: {} });
      await refreshViews();
    } catch (e) {
      fail(e);
    }
  };
  const [appliedId, setAppliedId] = useState<string | null>(null);
  const applied = views.find((v) => v.id === appliedId);
  const applyView = (v: SavedView) => {
    setAppliedId(v.id);
    if (v.columns) setHidden(allKeys.filter((k) => !v.columns!.includes(k)));
    setSp(queryOfView(v), { replace: true });
  };
  // The default view opens a list that was opened without any filter or sort of its own.
  const defaultApplied = useRef(false);
  useEffect(() => {
    if (defaultApplied.current || !viewsQuery.data) return;
    defaultApplied.current = true;
    const def = views.find((v) => v.isDefault);
    if (def && ![...sp.keys()].some((k) => k !== 'limit')) applyView(def);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [viewsQuery.data]);
  // Views this browser kept before they lived on the server: moved once, then removed here.
  const migrating = useRef(false);
  useEffect(() => {
    if (!me || migrating.current || !viewsQuery.data) return;
    const local = readJson<LocalView[]>(viewsKey, []);
    if (!local.length) return;
    migrating.current = true;
    void (async () => {
      let moved = 0;
      for (const v of local) {
        try {
          await api.post('/saved-views', { list, name: v.name.slice(0, 60), ...viewOfQuery(v.query), columns: allKeys.filter((k) => !v.hidden.includes(k)) });
          moved++;
        } catch {
          /* a view of that name is already on the server: keep that one */
        }
      }
      try {
        localStorage.removeItem(viewsKey);
      } catch {
        /* storage disabled */
      }
      if (moved) void message.info(t('savedViews.migrated', { count: moved }));
      await refreshViews();
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me, viewsQuery.data, viewsKey]);

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
          selectedKeys: activeView ? [`v:${activeView.id}`] : [],
          items: [
            ...views.map((v) => ({
              key: `v:${v.id}`,
              label: (
                <Flex justify="space-between" gap={16} data-testid="saved-view" data-view={v.name}>
                  <Space size={4}>
                    <span>{v.name}</span>
                    {v.sharing === 'team' && <TeamOutlined aria-label={t('savedViews.share.team')} />}
                    {v.sharing === 'everyone' && <GlobalOutlined aria-label={t('savedViews.share.everyone')} />}
                    {!v.mine && (
                      <Tooltip title={t('savedViews.readOnly')}>
                        <Tag bordered={false}>{t('savedViews.sharedBy', { name: v.ownerName ?? t('common.colleague') })}</Tag>
                      </Tooltip>
                    )}
                  </Space>
                  <Space size={8}>
                    <Tooltip title={v.isDefault ? t('savedViews.clearDefault') : t('savedViews.makeDefault')}>
                      <a
                        onClick={(e) => {
                          e.stopPropagation();
                          void toggleDefault(v);
                        }}
                        aria-label={`${v.isDefault ? t('savedViews.clearDefault') : t('savedViews.makeDefault')}: ${v.name}`}
                        data-testid="view-default"
                      >
                        {v.isDefault ? <StarFilled /> : <StarOutlined />}
                      </a>
                    </Tooltip>
                    {v.mine && (
                      <a
                        onClick={(e) => {
                          e.stopPropagation();
                          void deleteView(v);
                        }}
                        aria-label={t('views.delete', { name: v.name })}
                      >
                        {t('views.remove')}
                      </a>
                    )}
                  </Space>
                </Flex>
              ),
            })),
            ...(views.length ? [{ type: 'divider' as const }] : []),
            ...(applied?.mine && !sameView(applied) ? [{ key: `u:${applied.id}`, icon: <SyncOutlined />, label: t('savedViews.update', { name: applied.name }) }] : []),
            { key: 'save', icon: <SaveOutlined />, label: t('views.saveCurrent') },
          ],
          onClick: ({ key }) => {
            if (key === 'save') return setNaming(true);
            const u = views.find((w) => `u:${w.id}` === key);
            if (u) return void updateView(u);
            const v = views.find((w) => `v:${w.id}` === key);
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
        onOk={() => void saveView()}
        onCancel={() => setNaming(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('views.hint')}</Typography.Paragraph>
        <Flex vertical gap={12}>
          <Input autoFocus maxLength={60} value={viewName} onChange={(e) => setViewName(e.target.value)} onPressEnter={() => void saveView()} aria-label={t('views.name')} placeholder={t('views.name')} data-testid="view-name" />
          <Space wrap>
            <span>{t('savedViews.sharing')}</span>
            <Radio.Group value={sharing} onChange={(e) => setSharing(e.target.value as SavedView['sharing'])} optionType="button" size="small" data-testid="view-sharing">
              {(['private', 'team', 'everyone'] as const)
                .filter((x) => x !== 'team' || me?.user.teamId)
                .map((x) => (
                  <Radio.Button key={x} value={x}>
                    {t(`savedViews.share.${x}`)}
                  </Radio.Button>
                ))}
            </Radio.Group>
          </Space>
          <Checkbox checked={asDefault} onChange={(e) => setAsDefault(e.target.checked)} data-testid="view-default-checkbox">
            {t('savedViews.makeDefault')}
          </Checkbox>
        </Flex>
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
