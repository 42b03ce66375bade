import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { CYCLE_STAGE_LABELS } from "../../../../shared/schemas/coaching.js";
import type { TCoachingHome, THomeAttention, THomeCycle, THomeNumbers } from "../../../../shared/schemas/home.js";
import { ErrorState, Spinner } from "../../components/Feedback.js";
import { Icon, type IconName } from "../../components/Icon.js";
import { RoleList } from "../../components/RoleList.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { UPCOMING_MODULES } from "../../lib/modules.js";
import { useIsDistrictAdmin, useIsStudentOnly, useMe } from "../../lib/session.js";
import { coachingQueries } from "../coaching/api.js";
import "./home.css";

type QuickLink = { to: string; label: string; description: string; icon: IconName };

const hours = (minutes: number) => (minutes / 60).toLocaleString(undefined, { maximumFractionDigits: minutes >= 6000 ? 0 : 1 });
const share = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)}%`);
const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "On target", "12 points below target", or nothing without a target or a share. */
function targetNote(value: number | null, target: number | null): string | null {
  if (target === null || value === null) return null;
  const points = Math.round((target - value) * 100);
  return points <= 0 ? `Target ${share(target)} · on target` : `Target ${share(target)} · ${points} ${points === 1 ? "point" : "points"} below`;
}

function Stat({ label, value, detail, tone }: { label: string; value: string; detail?: (string | null)[]; tone?: "coaching" | "warning" }) {
  return (
    <li className={`home-stat${tone ? ` home-stat--${tone}` : ""}`}>
      <span className="home-stat__label">{label}</span>
      <span className="home-stat__value">{value}</span>
      {(detail ?? []).filter(Boolean).map((d) => (
        <span key={d} className="home-stat__detail">
          {d}
        </span>
      ))}
    </li>
  );
}

/** Time this week and this term, coaching share against the target, and teachers reached this term. */
function NumbersGrid({ numbers: n, home, label }: { numbers: THomeNumbers; home: TCoachingHome; label: string }) {
  const isBelow = home.coachingShareTarget !== null && n.coachingShareTerm !== null && n.coachingShareTerm < home.coachingShareTarget;
  const notReached = n.teachers - n.teachersReached;
  return (
    <ul className="home-stats" aria-label={label}>
      <Stat label="Coaching share this term" value={share(n.coachingShareTerm)} detail={[targetNote(n.coachingShareTerm, home.coachingShareTarget)]} tone={isBelow ? "warning" : "coaching"} />
      <Stat label="This week" value={`${hours(n.minutesWeek)} h`} detail={[`${plural(n.entriesWeek, "activity", "activities")}`, n.coachingShareWeek === null ? null : `${share(n.coachingShareWeek)} coaching`]} />
      <Stat
        label="Teachers reached this term"
        value={`${n.teachersReached.toLocaleString()} of ${n.teachers.toLocaleString()}`}
        detail={[n.teachers > 0 ? `${share(n.teachersReached / n.teachers)} · ${plural(notReached, "teacher", "teachers")} not yet` : null]}
      />
      <Stat label="Time this term" value={`${hours(n.minutesTerm)} h`} detail={[home.term.name]} />
    </ul>
  );
}

function Attention({ items, id }: { items: THomeAttention[]; id: string }) {
  if (items.length === 0) return <p className="home-attention__none">Nothing needs your attention right now.</p>;
  return (
    <ul className="home-attention" aria-labelledby={id}>
      {items.map((a) => (
        <li key={a.kind} className="home-attention__item">
          <Icon name="alert" size={16} />
          <Link to={a.to}>{a.text}</Link>
        </li>
      ))}
    </ul>
  );
}

function CycleList({ cycles, showCoach, empty }: { cycles: THomeCycle[]; showCoach: boolean; empty: string }) {
  if (cycles.length === 0) return <p className="home-section__empty">{empty}</p>;
  return (
    <ul className="home-cycles">
      {cycles.map((c) => (
        <li key={c.id} className="home-cycle">
          <Link className="home-cycle__title" to={`/coaching/cycles/${c.id}`}>
            {c.title}
          </Link>
          <span className="home-cycle__meta">
            {showCoach ? `With ${c.coachName}` : c.teacherNames.join(", ")} · {c.schoolName}
            {c.status !== "active" ? ` · ${c.status === "complete" ? "Complete" : "Paused"}` : ""}
          </span>
          <span className={`home-cycle__next${c.isStalled ? " home-cycle__next--stalled" : ""}`}>
            {c.nextStage ? `Next: ${CYCLE_STAGE_LABELS[c.nextStage]}` : c.status === "complete" ? "Cycle complete" : "Next step set"}
            {c.isStalled ? " · no step for three weeks" : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

function HomeNumbers({ home }: { home: TCoachingHome }) {
  const { district, coach, teacher, schools } = home;
  return (
    <>
      {district ? (
        <section className="section home-section" aria-labelledby="home-district">
          <div className="home-section__head">
            <h2 id="home-district" className="section__title">
              The district this week
            </h2>
            <Link to="/coaching/dashboard?scope=district">Dashboard</Link>
          </div>
          <NumbersGrid numbers={district.numbers} home={home} label="District totals" />
          <div className="home-columns">
            <div>
              <h3 id="home-attention" className="home-section__subtitle">
                Needs attention
              </h3>
              <Attention items={district.attention} id="home-attention" />
            </div>
            <div>
              <h3 className="home-section__subtitle">Cycles</h3>
              <p className="home-section__text">
                <Link to="/coaching/cycles">{plural(district.openCycles, "open cycle", "open cycles")}</Link>
                {district.stalledCycles > 0 ? `, ${district.stalledCycles.toLocaleString()} with no step for three weeks` : ""}.
              </p>
              <h3 className="home-section__subtitle">Not reached this term</h3>
              <p className="home-section__text">
                {plural(district.numbers.teachers - district.numbers.teachersReached, "teacher", "teachers")} and{" "}
                {plural(district.numbers.schoolsNotReached.length, "school", "schools")}. <Link to="/coaching/coaches">Coaches compared and who is not yet reached</Link>
              </p>
            </div>
          </div>
        </section>
      ) : null}

      {schools.map((s) => (
        <section key={s.id} className="section home-section" aria-labelledby={`home-school-${s.id}`}>
          <div className="home-section__head">
            <h2 id={`home-school-${s.id}`} className="section__title">
              {s.name}
            </h2>
            <Link to={`/coaching/dashboard?scope=school&schoolId=${encodeURIComponent(s.id)}`}>School dashboard</Link>
          </div>
          <NumbersGrid numbers={s.numbers} home={home} label={`${s.name} totals`} />
          {s.attention.length > 0 ? <Attention items={s.attention} id={`home-school-${s.id}`} /> : null}
        </section>
      ))}

      {coach ? (
        <section className="section home-section" aria-labelledby="home-coach">
          <div className="home-section__head">
            <h2 id="home-coach" className="section__title">
              Your week
            </h2>
            <Link className="button button--primary button--small" to="/coaching">
              Log an activity
            </Link>
          </div>
          <NumbersGrid numbers={coach.numbers} home={home} label="Your totals" />
          <p className="home-section__text">
            {coach.daysLoggedWeek === 0 ? "Nothing logged this week yet." : `You logged on ${plural(coach.daysLoggedWeek, "day", "days")} this week.`}{" "}
            <Link to="/coaching/week">Your week, day by day</Link>
          </p>
          {coach.attention.length > 0 ? <Attention items={coach.attention} id="home-coach" /> : null}
          <h3 className="home-section__subtitle">Your open cycles</h3>
          <CycleList cycles={coach.cycles} showCoach={false} empty="No open cycles. Start one from a teacher's goal or a classroom problem." />
        </section>
      ) : null}

      {teacher ? (
        <section className="section home-section" aria-labelledby="home-teacher">
          <div className="home-section__head">
            <h2 id="home-teacher" className="section__title">
              Your coaching cycles
            </h2>
            <Link to="/coaching/cycles">All your cycles</Link>
          </div>
          <CycleList cycles={teacher.cycles} showCoach empty="You are in no coaching cycle yet. Your coach starts one with you from a goal for your class." />
        </section>
      ) : null}
    </>
  );
}

/** What a student's Home offers: the help desk (and a student tech's desk) and their profile. */
function studentLinks(roles: readonly string[]): QuickLink[] {
  return [
    { to: "/helpdesk/new", label: "Ask for help", description: "Something wrong with your device or account? Tell the help desk.", icon: "helpdesk" },
    { to: "/helpdesk/mine", label: "Your tickets", description: "Follow what you asked for, reply, and rate the help.", icon: "helpdesk" },
    ...(roles.includes("student_tech")
      ? [{ to: "/helpdesk/queue", label: "Your school's desk", description: "The queue you work, the kiosk and your scores.", icon: "helpdesk" } as const]
      : []),
    { to: "/profile", label: "Your profile", description: "Your name and password.", icon: "user" },
  ];
}

function QuickLinks({ links }: { links: readonly QuickLink[] }) {
  return (
    <section className="section" aria-labelledby="home-quick">
      <h2 id="home-quick" className="section__title">
        Get started
      </h2>
      <ul className="card-grid">
        {links.map((link) => (
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
  );
}

export function HomePage() {
  useDocumentTitle("Home");
  const me = useMe();
  const isAdmin = useIsDistrictAdmin();
  const isStudentOnly = useIsStudentOnly();
  // A student has no coaching numbers to show (the API would refuse them).
  const home = useQuery({ ...coachingQueries.home(), enabled: !isStudentOnly });

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
      ? { to: "/settings/district", label: "District settings", description: "Name, time zone, terms and the coaching target.", icon: "shield" }
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
        {home.data ? (
          <p className="welcome__term">
            {home.data.term.name} · week of {new Date(`${home.data.weekStart}T00:00:00Z`).toLocaleDateString(undefined, { month: "long", day: "numeric", timeZone: "UTC" })}
          </p>
        ) : null}
      </div>

      {isStudentOnly ? null : home.error ? (
        <ErrorState error={home.error} onRetry={() => void home.refetch()} />
      ) : !home.data ? (
        <Spinner label="Loading your numbers…" />
      ) : (
        <HomeNumbers home={home.data} />
      )}

      <QuickLinks links={isStudentOnly ? studentLinks(roles) : quickLinks} />

      {isStudentOnly ? null : (
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
      )}
    </>
  );
}
