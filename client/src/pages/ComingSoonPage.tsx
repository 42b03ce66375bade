import { Link } from "react-router-dom";
import { Icon } from "../components/Icon.js";
import { useDocumentTitle } from "../lib/hooks.js";
import type { ModuleInfo } from "../lib/modules.js";

/** Placeholder for a module that is planned but not built yet. */
export function ComingSoonPage({ module }: { module: ModuleInfo }) {
  useDocumentTitle(module.label);
  return (
    <>
      <div className="page-header">
        <div className="page-header__row">
          <div className="page-header__text">
            <h1 className="page-title" tabIndex={-1}>
              {module.label}
            </h1>
          </div>
        </div>
      </div>
      <div className="coming-soon">
        <span className="coming-soon__icon">
          <Icon name={module.icon} size={28} />
        </span>
        <span className="badge badge--soon">Coming soon</span>
        <p className="coming-soon__summary">{module.summary}</p>
        <ul className="coming-soon__list">
          {module.highlights.map((item) => (
            <li key={item}>
              <Icon name="check" size={16} />
              {item}
            </li>
          ))}
        </ul>
        <p className="muted">
          In the meantime, keep the <Link to="/directory/people">directory</Link> up to date — every module builds on it.
        </p>
      </div>
    </>
  );
}
