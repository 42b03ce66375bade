import { isRole } from "../../shared/roles.js";
import type { Actor } from "../auth/actor.js";
import type { Ctx } from "../context.js";
import { createSeries, listSeries } from "../modules/chats/chats.service.js";
import { createGroup, postMessage } from "../modules/chats/groups.service.js";
import { activeCoaches, activeTeachersBySchool, findPerson, rolesOf } from "../modules/people/api.js";
import type { Writer } from "../platform/writes.js";

// The demo district's chats (issue 16): seed 004's district chat, with a co-moderator, for teachers
// who rarely meet across schools, and seed 000's weekly public question chat (#iiCHAT-style: Wednesdays
// at 9 pm Eastern, 30 minutes, "3.5 questions") with its members-only group for the conversation
// between chats. Made through the chats service, as a coach would make them, so the events, their
// questions and the reminders are scheduled as they would be. Loaded once: a district that already has
// a chat series is left alone.

const today = () => new Date().toISOString().slice(0, 10);

async function writerFor(ctx: Ctx, districtId: string, personId: string): Promise<Writer | null> {
  const person = await findPerson(ctx.db, districtId, personId);
  if (!person) return null;
  const roles = (await rolesOf(ctx.db, [personId])).flatMap((g) => (isRole(g.role) ? [{ role: g.role, schoolId: g.school_id }] : []));
  const actor: Actor = { personId, districtId, name: `${person.given_name} ${person.family_name}`, roles, via: "session", tokenScope: null, sessionIdHash: null, csrfToken: null };
  return { actor, meta: { ip: null, userAgent: "coachwork demo" } };
}

export async function loadDemoChats(ctx: Ctx, districtId: string): Promise<{ series: number; groups: number } | null> {
  const coaches = await activeCoaches(ctx.db, districtId);
  const [host, cohost] = [...new Set(coaches.map((c) => c.person_id))];
  if (!host) return null;
  const who = await writerFor(ctx, districtId, host);
  if (!who) return null;
  if ((await listSeries(ctx, who.actor)).items.length > 0) return null;

  await createSeries(ctx, who, {
    name: "Maple Valley district chat",
    hashtag: "MVTechChat",
    description: "Thirty minutes on Thursday evenings for teachers of every school to trade what works with technology in class. First-timers welcome: read along, answer one question, or just like a post.",
    audience: "district",
    recurrence: { frequency: "weekly", weekday: "TH", startTime: "19:00", timeZone: "America/New_York", startsOn: today() },
    durationMinutes: 30,
    coModeratorIds: cohost ? [cohost] : [],
    welcomeText: "Welcome to #MVTechChat! Say hello: your name, school and grade. Questions come every seven minutes; answer with A1, A2…",
    guideText: "New here? Each question is posted as Q1, Q2… Answer under it (A1 for Q1). Reply to anyone, like what helps you, and read along if you prefer: lurking is welcome.",
    questionPlan: [
      { offsetMinutes: 3, text: "What is one tool your students used this week without asking you how?" },
      { offsetMinutes: 10, text: "How do you check that a lesson's technology helps the learning, not just the doing?" },
      { offsetMinutes: 17, text: "Elementary and middle teachers: what would make this chat worth your Thursday?" },
      { offsetMinutes: 26, text: "One thing you'll try next week?", isClosing: true },
    ],
  });
  const weekly = await createSeries(ctx, who, {
    name: "Integration chat",
    hashtag: "iiCHAT",
    description: "A weekly chat on technology integration, open to anyone: sign up with a name and an email, no account needed.",
    audience: "public",
    recurrence: { frequency: "weekly", weekday: "WE", startTime: "21:00", timeZone: "America/New_York", startsOn: today() },
    durationMinutes: 30,
    welcomeText: "Welcome to #iiCHAT! Introduce yourself and where you teach. Three questions and a half tonight.",
    guideText: "Answer each question as A1, A2, A3. The half question at the end is a quick one: a word or an emoji will do.",
    questionPlan: [
      { offsetMinutes: 5, text: "Where on the Technology Integration Matrix did your last lesson land, and where would you move it?" },
      { offsetMinutes: 13, text: "What helped a colleague try something new this month?" },
      { offsetMinutes: 21, text: "Which routine saves you the most class time with devices?" },
      { offsetMinutes: 28, text: "One word for this week? (our half question)", isClosing: true },
    ],
  });

  // Seed 000's group between chats: the host, the co-host and a few teachers.
  const teachers = [...new Set((await activeTeachersBySchool(ctx.db, districtId, "all")).map((t) => t.person_id))].slice(0, 4);
  const group = await createGroup(ctx, who, { name: "#iiCHAT between chats", seriesId: weekly.id, memberIds: [...(cohost ? [cohost] : []), ...teachers] });
  const thread = await postMessage(ctx, who.actor, group.id, {
    title: "Share a win from this week",
    body: "Small ones count: a student who helped another log in, a lesson that ran on time. What went right?",
  });
  const replier = teachers[0] ? await writerFor(ctx, districtId, teachers[0]) : null;
  if (replier) {
    await postMessage(ctx, replier.actor, group.id, { threadId: thread.id, body: "My fourth graders made their first slideshow together and nobody lost their work. Shared drives for the win." });
  }
  return { series: 2, groups: 1 };
}
