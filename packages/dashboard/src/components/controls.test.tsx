import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChartState } from './chart-state';
import { LastUpdated } from './last-updated';
import { PauseToggle } from './pause-toggle';
import { TimeWindowSelect } from './time-window-select';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('PauseToggle', () => {
  it('toggles with the keyboard, says what it will do, and reports data-state', async () => {
    const user = userEvent.setup();
    const onPausedChange = vi.fn();
    render(<PauseToggle onPausedChange={onPausedChange} />);
    const button = screen.getByRole('button', { name: 'Pause' });
    expect(button.getAttribute('data-state')).toBe('live');
    button.focus();
    await user.keyboard('{Enter}');
    expect(onPausedChange).toHaveBeenLastCalledWith(true);
    expect(screen.getByRole('button', { name: 'Resume' }).getAttribute('data-state')).toBe('paused');
    await user.keyboard(' ');
    expect(screen.getByRole('button', { name: 'Pause' })).toBeDefined();
  });

  it('shows a pending count only while paused', () => {
    const { rerender } = render(<PauseToggle paused pendingCount={1_234} />);
    expect(screen.getByRole('button').textContent).toBe('Resume1.2K new');
    rerender(<PauseToggle paused={false} pendingCount={1_234} />);
    expect(screen.getByRole('button').textContent).toBe('Pause');
  });
});

describe('TimeWindowSelect', () => {
  it('is a radio group with one tab stop; arrows, Home and End move and select', async () => {
    const user = userEvent.setup();
    const onValueChange = vi.fn();
    render(<TimeWindowSelect defaultValue={60_000} onValueChange={onValueChange} />);
    const group = screen.getByRole('radiogroup', { name: 'Time window' });
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: '1 min' }));
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('radio', { checked: true }).textContent).toBe('1 h');
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: '1 h' }));
    await user.keyboard('{Home}');
    expect(onValueChange).toHaveBeenLastCalledWith(60_000);
    await user.keyboard('{End}');
    expect(onValueChange).toHaveBeenLastCalledWith(3_600_000);
    expect(group.querySelectorAll('[tabindex="0"]')).toHaveLength(1);
  });

  it('in controlled mode only asks for a change', () => {
    const onValueChange = vi.fn();
    render(<TimeWindowSelect value={300_000} onValueChange={onValueChange} />);
    fireEvent.click(screen.getByRole('radio', { name: '15 min' }));
    expect(onValueChange).toHaveBeenCalledWith(900_000);
    expect(screen.getByRole('radio', { checked: true }).textContent).toBe('5 min');
  });
});

describe('ChartState', () => {
  it('is a polite status with a default title per state, busy while loading', () => {
    const { rerender } = render(<ChartState state="loading" />);
    expect(screen.getByRole('status').getAttribute('aria-busy')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    rerender(<ChartState state="error" description="timeout" action={<button type="button">Retry</button>} />);
    expect(screen.getByRole('status').getAttribute('data-state')).toBe('error');
    expect(screen.getByRole('status').textContent).toBe('Something went wrong' + 'timeout' + 'Retry');
    rerender(<ChartState state="stale" compact />);
    expect(screen.getByRole('status').className).toContain('sb-chart-state--compact');
  });
});

describe('LastUpdated', () => {
  it('says never before data, then ages the time, turning stale after staleAfterMs', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
    const { rerender, container } = render(<LastUpdated />);
    const root = () => container.firstElementChild!;
    expect(root().getAttribute('data-state')).toBe('never');
    expect(root().textContent).toBe('No data yet');
    rerender(<LastUpdated at={Date.now()} staleAfterMs={10_000} locale="en" />);
    expect(root().getAttribute('data-state')).toBe('fresh');
    expect(root().textContent).toBe('Updated just now');
    act(() => void vi.advanceTimersByTime(3_000));
    expect(root().textContent).toBe('Updated 3 sec. ago');
    act(() => void vi.advanceTimersByTime(8_000));
    expect(root().getAttribute('data-state')).toBe('stale');
    expect(root().textContent).toBe('Updated 11 sec. ago · stale');
    expect(root().querySelector('time')!.getAttribute('dateTime')).toBe(new Date(1_700_000_000_000).toISOString());
  });
});
