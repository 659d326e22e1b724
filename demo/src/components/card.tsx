import { useId } from 'react';
import type { ReactElement, ReactNode } from 'react';

export interface CardProps {
  title: string;
  description: ReactNode;
  /** The card's own class (e.g. `demo-chaos`) and its grid placement. */
  className: string;
  'data-testid'?: string;
  children: ReactNode;
}

/** A panel in the kit's card style: a titled section (named by its title) with a one-line description. */
export function Card({ title, description, className, children, ...rest }: CardProps): ReactElement {
  const titleId = useId();
  return (
    <section className={`sb-card ${className}`} aria-labelledby={titleId} {...rest}>
      <div className="sb-card__header">
        <div className="sb-card__heading">
          <div className="sb-card__title" id={titleId}>
            {title}
          </div>
          <div className="sb-card__description">{description}</div>
        </div>
      </div>
      {children}
    </section>
  );
}
