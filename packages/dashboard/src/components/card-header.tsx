import type { ReactElement, ReactNode } from 'react';

/**
 * The header row every card shares: title (labelling the card through `titleId`), an optional
 * description, and whatever sits at the right (`children`: controls, a status badge, a summary).
 */
export function CardHeader({
  titleId,
  title,
  description,
  children,
}: {
  titleId: string;
  title?: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
}): ReactElement {
  return (
    <div className="sb-card__header">
      <div className="sb-card__heading">
        {title !== undefined && (
          <div className="sb-card__title" id={titleId}>
            {title}
          </div>
        )}
        {description !== undefined && <div className="sb-card__description">{description}</div>}
      </div>
      {children}
    </div>
  );
}
