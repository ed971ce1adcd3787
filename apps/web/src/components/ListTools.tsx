import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { App, Button, Checkbox, Dropdown, Flex, Input, Modal, Popover, Progress, Radio, Space, Tag, Tooltip, Typography, type TableColumnType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DownloadOutlined, EyeOutlined, SaveOutlined, SettingOutlined, StarFilled, StarOutlined, SyncOutlined, TeamOutlined, GlobalOutlined } from '@ant-design/icons';
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
import { layoutOfView, moveKey, orderedKeys } from '../lib/listLayout.ts';

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
  /** The API fields the column reads, where the list asks for trimmed rows (lib/listFields.ts); default: its key. */
  fields?: readonly string[];
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

/** A user's column layout of a list as the server keeps it (GET /api/v1/saved-views/layouts/{list}). */
export interface ListLayout {
  list: string;
  /** Column keys in the user's order; keys not in it (added to the list later) come last. */
  order: string[];
  hidden: string[];
  /** 0: never arranged. */
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

/**
 * A list's column chooser (hide and reorder; the layout is kept per user on the server, so it follows
 * the user to every browser — what this browser kept before is moved there once), saved views (named filters + sort + columns, kept per user on the server,
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
  const qc = useQueryClient();
  const allKeys = columns.map((c) => c.key);
  // ---- column layout (server, per user and list): `layout` is what is on screen, saved in order behind it
  const layoutKey = ['list-layout', list, uid];
  const layoutQuery = useQuery({
    queryKey: layoutKey,
    queryFn: ({ signal }) => api.get<ListLayout>(`/saved-views/layouts/${list}`, undefined, signal),
    enabled: !!me,
    staleTime: 5 * 60_000,
  });
  const [layout, setLayoutState] = useState<{ order: string[]; hidden: string[] } | null>(null);
  const version = useRef<number | null>(null);
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  useEffect(() => {
    if (!layoutQuery.data) return;
    version.current = layoutQuery.data.version;
    setLayoutState({ order: layoutQuery.data.order, hidden: layoutQuery.data.hidden });
  }, [layoutQuery.data]);
  const hidden = (layout?.hidden ?? []).filter((k) => allKeys.includes(k));
  const order = orderedKeys(allKeys, layout?.order ?? []);
  const setLayout = useCallback(
    (next: { order: string[]; hidden: string[] }) => {
      setLayoutState(next);
      // One save at a time, each from the version the previous one returned.
      saving.current = saving.current.then(async () => {
        try {
          const saved = await request<ListLayout>('PUT', `/saved-views/layouts/${list}`, { body: next, version: version.current ?? 0 });
          version.current = saved.version;
          qc.setQueryData(['list-layout', list, uid], saved);
        } catch (e) {
          // Changed in another browser meanwhile (409) or refused: show what the server has.
          void message.warning(problemMessage(t, e));
          await qc.invalidateQueries({ queryKey: ['list-layout', list, uid] });
        }
      });
    },
    [list, uid, qc, message, t],
  );
  const setHidden = (h: string[]) => setLayout({ order, hidden: h });
  const move = (key: string, by: -1 | 1) => setLayout({ order: moveKey(order, key, by), hidden });
  // What this browser kept before layouts lived on the server: moved once (when the server has none), then removed here.
  const layoutMigrated = useRef(false);
  useEffect(() => {
    if (!me || layoutMigrated.current || !layoutQuery.data) return;
    layoutMigrated.current = true;
    const local = readJson<string[] | null>(colsKey, null);
    if (!local) return;
    try {
      localStorage.removeItem(colsKey);
    } catch {
      /* storage disabled */
    }
    const keep = local.filter((k) => allKeys.includes(k));
    if (layoutQuery.data.version === 0 && keep.length && keep.length < allKeys.length) setLayout({ order: allKeys, hidden: keep });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me, layoutQuery.data, colsKey]);
  const viewsQuery = useQuery({
    queryKey: ['saved-views', list, uid],
    queryFn: ({ signal }) => api.get<{ items: SavedView[] }>('/saved-views', { list }, signal),
    enabled: !!me,
    staleTime: 60_000,
  });
  const views = useMemo(() => viewsQuery.data?.items ?? [], [viewsQuery.data]);
  const refreshViews = () => qc.invalidateQueries({ queryKey: ['saved-views', list] });
  // The same array while the columns and the layout stay the same, so a long list's memoised rows are not drawn again.
  const layoutKey2 = `${order.join()}|${hidden.join()}`;
  const visible = useMemo(
    () => order.filter((k) => !hidden.includes(k)).map((k) => columns.find((c) => c.key === k)!),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columns, layoutKey2],
  );

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
  const visibleKeys = order.filter((k) => !hidden.includes(k));
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
    if (v.columns) setLayout(layoutOfView(allKeys, v.columns));
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
    <Flex vertical gap={2} style={{ minWidth: 220 }} data-testid="column-chooser">
      {order.map((key, i) => {
        const c = columns.find((x) => x.key === key)!;
        return (
          <Flex key={key} align="center" justify="space-between" gap={8} data-column={key}>
            <Checkbox
              checked={!hidden.includes(key)}
              disabled={!hidden.includes(key) && visible.length === 1}
              onChange={(e) => setHidden(e.target.checked ? hidden.filter((k) => k !== key) : [...hidden, key])}
            >
              {c.title}
            </Checkbox>
            <Space size={0}>
              <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(key, -1)} aria-label={t('listLayout.moveUp', { column: c.title })} />
              <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === order.length - 1} onClick={() => move(key, 1)} aria-label={t('listLayout.moveDown', { column: c.title })} />
            </Space>
          </Flex>
        );
      })}
      {(hidden.length > 0 || order.some((k, i) => k !== allKeys[i])) && (
        <Button size="small" type="link" onClick={() => setLayout({ order: [], hidden: [] })} style={{ padding: 0, alignSelf: 'flex-start' }}>
          {t('listLayout.reset')}
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
