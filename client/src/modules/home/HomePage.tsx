import { Link } from "react-router-dom";
import { Icon, type IconName } from "../../components/Icon.js";
import { RoleList } from "../../components/RoleList.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { UPCOMING_MODULES } from "../../lib/modules.js";
import { useIsDistrictAdmin, useMe } from "../../lib/session.js";

type QuickLink = { to: string; label: string; description: string; icon: IconName };

export function HomePage() {
  useDocumentTitle("Home");
  const me = useMe();
  const isAdmin = useIsDistrictAdmin();

  const roles = me.person.roles.map((r) => r.role);
  const coachingLink: QuickLink[] =
    isAdmin || roles.includes("coach")
      ? [{ to: "/coaching", label: "Coaching log", description: "Log an activity in seconds and see where your time goes.", icon: "coaching" }]
      : roles.includes("school_leader")
        ? [{ to: "/coaching/dashboard", label: "Coaching dashboard", description: "Where coaching time goes at your school.", icon: "coaching" }]
        : roles.includes("teacher")
          ? [{ to: "/coaching/cycles", label: "My coaching cycles", description: "Your cycles with a coach, and your reflections.", icon: "coaching" }]
          : [];
  const quickLinks: QuickLink[] = [
    ...coachingLink,
    { to: "/directory/people", label: "People", description: "Find staff and students, their roles and schools.", icon: "directory" },
    { to: "/directory/schools", label: "Schools", description: "The district's schools and who works in each.", icon: "school" },
    { to: "/profile", label: "Your profile", description: "Your name, password and personal API tokens.", icon: "user" },
    isAdmin
      ? { to: "/settings/audit", label: "Audit log", description: "Who saw and changed what, and when.", icon: "shield" }
      : { to: "/settings/tokens", label: "API tokens", description: "Tokens for scripts and integrations.", icon: "key" },
  ];

  return (
    <>
      <div className="welcome">
        <p className="welcome__eyebrow">{me.district.name}</p>
        <h1 className="page-title" tabIndex={-1}>
          Welcome, {me.person.givenName}
        </h1>
        <div className="welcome__roles">
          <span className="visually-hidden">Your roles: </span>
          <RoleList roles={me.person.roles} />
        </div>
      </div>

      <section className="section" aria-labelledby="home-quick">
        <h2 id="home-quick" className="section__title">
          Get started
        </h2>
        <ul className="card-grid">
          {quickLinks.map((link) => (
            <li key={link.to}>
              <Link className="link-card" to={link.to}>
                <span className="link-card__icon">
                  <Icon name={link.icon} size={20} />
                </span>
                <span className="link-card__body">
                  <span className="link-card__title">{link.label}</span>
                  <span className="link-card__text">{link.description}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="section" aria-labelledby="home-soon">
        <h2 id="home-soon" className="section__title">
          Coming to Coachwork
        </h2>
        <p className="section__description">
          The directory is the foundation. These modules build on it, one database for the whole coaching program.
        </p>
        <ul className="module-list">
          {UPCOMING_MODULES.map((module) => (
            <li key={module.slug}>
              <Link className="module-list__item" to={module.path}>
                <span className="module-list__icon">
                  <Icon name={module.icon} size={18} />
                </span>
                <span className="module-list__name">{module.label}</span>
                <span className="module-list__summary">{module.summary}</span>
                <span className="badge badge--soon">Coming soon</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
