import { useEffect, useMemo, useRef, useState } from 'react';
import { Empty, Flex, Input, Modal, Spin, Typography, type InputRef } from 'antd';
import {
  CheckSquareOutlined,
  FileTextOutlined,
  MailOutlined,
  PhoneOutlined,
  SearchOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { DOC_TYPES, recordPath } from '../lib/docTypes.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { StatusTag } from './StatusTag.tsx';
import { PARENT_SEGMENT, type ActivityType, type ParentType } from '../pages/activities/activities.ts';

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  status: string | null;
  /** Activity hits (type `activities`): the kind and the record it is on (where it opens). */
  activityType?: ActivityType;
  parentType?: ParentType;
  parentId?: string;
  parentName?: string | null;
}

const TYPE_ICONS: Record<ActivityType, React.ReactNode> = {
  call: <PhoneOutlined />,
  meeting: <TeamOutlined />,
  email: <MailOutlined />,
  note: <FileTextOutlined />,
  task: <CheckSquareOutlined />,
};

/** Activities open on the page of the record they are on. */
const ACTIVITIES = 'activities';
const hitPath = (h: SearchHit) =>
  h.type === ACTIVITIES
    ? h.parentType && h.parentId
      ? `/${PARENT_SEGMENT[h.parentType]}/${h.parentId}`
      : null
    : recordPath(h.type, h.id, h.title);

const MIN_CHARS = 2;
const DEBOUNCE_MS = 250;

/** The typed text, once the user stopped typing for a moment. */
function useDebounced(value: string, ms: number): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

/** Whether the platform's shortcut modifier is ⌘ (Apple) rather than Ctrl. */
export const isMac =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** Opens the search on Ctrl+K (⌘K on a Mac), wherever the focus is. */
export function useSearchShortcut(open: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
}

/**
 * Global search over every document the user may read, and the activities on the records they may
 * see (GET /search; an activity opens its record's page): results grouped by type with
 * icon and status; ↑/↓ move through them, Enter opens, Esc closes.
 */
export function GlobalSearch({
  open,
  initialText,
  onClose,
}: {
  open: boolean;
  initialText: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState(initialText);
  const [active, setActive] = useState(0);
  const input = useRef<InputRef>(null);
  const q = useDebounced(text.trim(), DEBOUNCE_MS);
  const enabled = open && q.length >= MIN_CHARS;
  const res = useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => api.get<{ items: SearchHit[] }>('/search', { q, perType: 5 }, signal),
    enabled,
    staleTime: 10_000,
  });

  useEffect(() => {
    if (open) {
      setText(initialText);
      setActive(0);
    }
  }, [open, initialText]);
  useEffect(() => setActive(0), [q]);

  // Grouped by type in the order of the chain; `flat` is the keyboard order.
  const groups = useMemo(() => {
    const hits = (res.data?.items ?? []).filter((h) => DOC_TYPES[h.type] || h.type === ACTIVITIES);
    const order = [...Object.keys(DOC_TYPES), ACTIVITIES];
    const byType = new Map<string, SearchHit[]>();
    for (const h of hits) byType.set(h.type, [...(byType.get(h.type) ?? []), h]);
    return [...byType.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  }, [res.data]);
  const flat = useMemo(() => groups.flatMap(([, hits]) => hits), [groups]);

  const go = (h: SearchHit | undefined) => {
    const to = h && hitPath(h);
    if (!to) return;
    onClose();
    navigate(to);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (flat.length ? (a + 1) % flat.length : 0));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (flat.length ? (a - 1 + flat.length) % flat.length : 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(flat[active]);
    }
  };
  useEffect(() => {
    document.getElementById(`search-hit-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const stale = text.trim() !== q || (res.isFetching && !res.data);
  let index = -1;
  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      closable={false}
      width={640}
      styles={{ body: { padding: 0 } }}
      destroyOnHidden
      afterOpenChange={(o) => o && input.current?.focus()}
      title={null}
    >
      <div data-testid="search-dialog">
        <Input
          ref={input}
          size="large"
          variant="borderless"
          autoFocus
          prefix={<SearchOutlined />}
          placeholder={t('search.placeholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-label={t('search.label')}
          role="combobox"
          aria-expanded={flat.length > 0}
          aria-controls="search-results"
          aria-activedescendant={flat.length ? `search-hit-${active}` : undefined}
          data-testid="search-input"
          style={{ padding: '12px 16px', borderBottom: '1px solid #f0f0f0', borderRadius: 0 }}
        />
        <div style={{ maxHeight: 420, overflowY: 'auto', padding: '8px 0' }}>
          {text.trim().length < MIN_CHARS ? (
            <Typography.Paragraph type="secondary" style={{ padding: '8px 16px', margin: 0 }}>
              {t('search.hint', { n: MIN_CHARS })}
            </Typography.Paragraph>
          ) : res.isError ? (
            <div style={{ padding: '0 16px' }}>
              <ErrorAlert error={res.error} onRetry={() => void res.refetch()} />
            </div>
          ) : stale || res.isPending ? (
            <Flex justify="center" style={{ padding: 24 }}>
              <Spin />
            </Flex>
          ) : !flat.length ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('search.none', { q })} />
          ) : (
            <div id="search-results" role="listbox" aria-label={t('search.results')}>
              {groups.map(([type, hits]) => (
                <div
                  key={type}
                  role="group"
                  aria-label={type === ACTIVITIES ? t('activitySearch.group') : t(`nav.${type}`)}
                >
                  <Typography.Text
                    type="secondary"
                    style={{ display: 'block', padding: '6px 16px 2px', fontSize: 12 }}
                  >
                    {type === ACTIVITIES ? t('activitySearch.group') : t(`nav.${type}`)}
                  </Typography.Text>
                  {hits.map((h) => {
                    index += 1;
                    const i = index;
                    const selected = i === active;
                    return (
                      <div
                        key={`${h.type}:${h.id}`}
                        id={`search-hit-${i}`}
                        role="option"
                        aria-selected={selected}
                        data-testid="search-hit"
                        onMouseEnter={() => setActive(i)}
                        onClick={() => go(h)}
                        style={{
                          display: 'flex',
                          alignItems: 'center',
                          gap: 10,
                          padding: '8px 16px',
                          cursor: 'pointer',
                          background: selected ? '#e6f4ff' : undefined,
                        }}
                      >
                        <span style={{ color: '#1677ff' }}>
                          {h.type === ACTIVITIES
                            ? TYPE_ICONS[h.activityType ?? 'note']
                            : DOC_TYPES[h.type]!.icon}
                        </span>
                        <span style={{ flex: 1, minWidth: 0 }}>
                          <Typography.Text strong ellipsis style={{ display: 'block' }}>
                            {h.type === 'invoices' && h.status === 'draft'
                              ? t('invoices.draftTitle')
                              : h.title}
                          </Typography.Text>
                          {h.type === ACTIVITIES ? (
                            <Typography.Text
                              type="secondary"
                              ellipsis
                              style={{ display: 'block', fontSize: 12 }}
                              data-testid="search-hit-parent"
                            >
                              {t('activitySearch.on', {
                                kind: t(`activities.type.${h.activityType ?? 'note'}`),
                                record: t(`activities.parent.${h.parentType ?? 'lead'}`),
                                name: h.parentName ?? '',
                              })}
                              {h.subtitle ? ` · ${h.subtitle}` : ''}
                            </Typography.Text>
                          ) : (
                            h.subtitle && (
                              <Typography.Text
                                type="secondary"
                                ellipsis
                                style={{ display: 'block', fontSize: 12 }}
                              >
                                {h.subtitle}
                              </Typography.Text>
                            )
                          )}
                        </span>
                        {h.status && h.type === ACTIVITIES ? (
                          <Typography.Text
                            type={h.status === 'open' ? 'warning' : 'secondary'}
                            style={{ fontSize: 12 }}
                          >
                            {t(`activitySearch.task.${h.status}`)}
                          </Typography.Text>
                        ) : (
                          h.status && <StatusTag entity={DOC_TYPES[h.type]!.entity} status={h.status} />
                        )}
                      </div>
                    );
                  })}
                </div>
              ))}
            </div>
          )}
        </div>
        <Flex gap={16} style={{ padding: '8px 16px', borderTop: '1px solid #f0f0f0', fontSize: 12 }}>
          <Typography.Text type="secondary">{t('search.keys')}</Typography.Text>
        </Flex>
      </div>
    </Modal>
  );
}

/** The header's search box: typing or clicking opens the search dialog. */
export function HeaderSearch({ onOpen }: { onOpen: (text: string) => void }) {
  const { t } = useTranslation();
  return (
    <Input
      readOnly
      value=""
      prefix={<SearchOutlined />}
      suffix={
        <Typography.Text type="secondary" keyboard style={{ fontSize: 11 }}>
          {isMac ? '⌘K' : 'Ctrl K'}
        </Typography.Text>
      }
      placeholder={t('search.headerPlaceholder')}
      aria-label={t('search.label')}
      onClick={() => onOpen('')}
      onKeyDown={(e) => {
        if (e.key.length === 1 && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          onOpen(e.key);
        } else if (e.key === 'Enter') onOpen('');
      }}
      data-testid="header-search"
      style={{ width: 280, cursor: 'pointer' }}
    />
  );
}
