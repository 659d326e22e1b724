import type { ReactElement, SVGProps } from 'react';

// Small stroke icons in the style of Lucide, drawn in currentColor; decorative (aria-hidden).
function Icon({ children, ...props }: SVGProps<SVGSVGElement>): ReactElement {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className="sb-icon"
      {...props}
    >
      {children}
    </svg>
  );
}

export function PauseIcon(): ReactElement {
  return (
    <Icon>
      <rect x="6" y="5" width="4" height="14" rx="1" />
      <rect x="14" y="5" width="4" height="14" rx="1" />
    </Icon>
  );
}

export function PlayIcon(): ReactElement {
  return (
    <Icon>
      <path d="M7 4.5v15l12-7.5z" />
    </Icon>
  );
}

export function AlertIcon(): ReactElement {
  return (
    <Icon>
      <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      <path d="M12 9v4" />
      <path d="M12 17h.01" />
    </Icon>
  );
}

export function ClockIcon(): ReactElement {
  return (
    <Icon>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </Icon>
  );
}

export function InboxIcon(): ReactElement {
  return (
    <Icon>
      <path d="M22 12h-6l-2 3h-4l-2-3H2" />
      <path d="M5.5 5.1 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.5-6.9A2 2 0 0 0 16.8 4H7.2a2 2 0 0 0-1.7 1.1z" />
    </Icon>
  );
}

export function RefreshIcon(): ReactElement {
  return (
    <Icon>
      <path d="M21 12a9 9 0 1 1-2.6-6.4" />
      <path d="M21 3v6h-6" />
    </Icon>
  );
}

export function ArrowIcon({ direction }: { direction: 'up' | 'down' | 'flat' }): ReactElement {
  if (direction === 'flat') {
    return (
      <Icon>
        <path d="M5 12h14" />
        <path d="m13 6 6 6-6 6" />
      </Icon>
    );
  }
  return (
    <Icon style={direction === 'down' ? { transform: 'rotate(180deg)' } : undefined}>
      <path d="M12 19V5" />
      <path d="m5 12 7-7 7 7" />
    </Icon>
  );
}
