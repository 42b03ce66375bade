// Words for the demo coaching log: what a technology coach writes in a log entry, by category,
// and the coaching cycles they run. Fictional, in the spirit of the coaches' blog posts (seeds 001–003).

/** Notes for log entries, keyed by category key. */
export const ENTRY_NOTES: Record<string, readonly string[]> = {
  tech_support: [
    "Laptop pickup line: account creation, intro video, basic walkthrough",
    "Students with laptops that would not charge; swapped two chargers",
    "Password resets for a class of new students",
    "Showed a student where the power button is (again)",
    "Wi-Fi would not connect on a cart of devices; re-enrolled them",
    "Projector in the science wing not detecting laptops",
    "Teacher's document camera not installed; followed up with IT",
    "Printer mapping for the English department",
    "Student help desk: coached assistants on how to answer a confused student",
    "Apps missing from the image on a cart; listed them for the district",
  ],
  tech_administration: [
    "Rostered classes into the LMS for the new term",
    "Built the punch list of rooms the contractor has to come back to",
    "Google Workspace: new staff accounts and shared drives",
    "Device inventory: matched asset tags to students",
    "Set up the student help desk schedule",
    "Reconciled the app request list with the approved apps",
    "Emailed the four downtown departments about the same outage",
  ],
  tech_literacy: [
    "Taught a class how to submit work in the LMS",
    "Keyboard shortcuts and file naming with sixth graders",
    "How to save to the cloud, not the desktop",
    "Showed a teacher how to use the new interactive display",
  ],
  co_planning: [
    "Planned a research project around a question students choose",
    "Started from the learning outcome: argue a claim with evidence",
    "Designed a station rotation for fractions",
    "Planned peer feedback with comments in shared documents",
    "Built an exit ticket to check understanding at the end of the lesson",
  ],
  co_teaching: [
    "Co-taught a lab with data collected on tablets",
    "Ran one group of the station rotation while the teacher ran another",
    "Co-taught the first day of the podcast project",
  ],
  modeling: [
    "Modeled a formative check with an online quiz tool",
    "Modeled think-pair-share with a collaborative whiteboard",
    "Modeled how to give feedback on a shared draft",
  ],
  observing: [
    "TIM observation: collaborative, at the adaptation level",
    "Observed the research stations; students chose their own tools",
    "Walkthrough with notes for the teacher on the next level",
    "Observed a lesson and left feedback with one suggestion",
  ],
  professional_development: [
    "Tech Café: quizzes that give instant feedback",
    "Planning-period workshop on shared notebooks",
    "Recorded a screen-capture tutorial for the staff",
    "New-teacher orientation: the LMS in one hour",
    "Department meeting: digital portfolios",
  ],
  digital_citizenship: [
    "Lesson on passwords and privacy",
    "Talked with a class about what to post and what to keep private",
    "Digital Citizenship Week lesson on checking sources",
  ],
  resource_preparation: [
    "Gathered tutorials for the teachers starting portfolios",
    "Updated the how-to-book-a-cart guide",
    "Prepared templates for the research project",
    "Screen-captured how to turn in work, for the tutorial library",
  ],
};

export type DemoCycleStory = {
  title: string;
  /** The school levels the story fits (no fraction stations at a high school). */
  levels: readonly ("elementary" | "middle" | "high" | "other")[];
  startingPoint: "outcome" | "problem";
  startingText: string;
  steps: { goal: string; co_plan: string; teach: string; observe: string; reflect: string; next_step: string };
  /** Whether the coach co-teaches or models the lesson. */
  teachStage: "co_teach" | "model";
};

/** Coaching cycles that start from a learning outcome or a classroom problem, never from a tool (seed 003). */
export const CYCLE_STORIES: readonly DemoCycleStory[] = [
  {
    title: "Argument writing with evidence",
    levels: ["middle", "high"],
    startingPoint: "outcome",
    startingText: "Students write an argument that states a claim and backs it with at least two pieces of evidence they can cite.",
    teachStage: "co_teach",
    steps: {
      goal: "Agreed on the outcome and what a strong paragraph looks like; picked two classes to start with.",
      co_plan: "Planned a three-day sequence: sources, claims, then peer feedback on shared drafts.",
      teach: "Co-taught day two; students highlighted evidence in shared documents.",
      observe: "Most students cited one source; a few cited two. Peer comments were specific.",
      reflect: "The peer feedback worked better than I expected. Next time I will model a good comment first.",
      next_step: "Add a short mini-lesson on citing a second source; observe again in three weeks.",
    },
  },
  {
    title: "Fractions stations",
    levels: ["elementary", "middle"],
    startingPoint: "problem",
    startingText: "Half of my class finishes early and the other half is lost; I cannot get to everyone during practice.",
    teachStage: "model",
    steps: {
      goal: "Goal: every student gets practice at their level and five minutes with the teacher each day.",
      co_plan: "Designed three stations: teacher table, practice with instant feedback, and a hands-on task.",
      teach: "Modeled the rotation with one group while the teacher watched the timing.",
      observe: "Transitions took four minutes; the practice station kept students busy and gave the teacher data.",
      reflect: "I finally reached the students who were lost. The timer on the board helped.",
      next_step: "Teacher runs the rotation alone next week; coach checks in on the data from the practice station.",
    },
  },
  {
    title: "Lab reports students can revise",
    levels: ["middle", "high"],
    startingPoint: "outcome",
    startingText: "Students explain their results with data and revise their conclusions after feedback.",
    teachStage: "co_teach",
    steps: {
      goal: "Outcome set: conclusions that refer to the data, revised once after feedback.",
      co_plan: "Planned a lab report template with a data table and a feedback checklist.",
      teach: "Co-taught the lab; students collected data together in one shared sheet.",
      observe: "Students talked about the class data, not just their own group's.",
      reflect: "Having everybody's data in one place changed the discussion.",
      next_step: "Try the same template in the next unit without the coach.",
    },
  },
  {
    title: "Getting quiet students talking",
    levels: ["elementary", "middle", "high", "other"],
    startingPoint: "problem",
    startingText: "The same five students answer every question; the rest of the class stays silent in discussions.",
    teachStage: "model",
    steps: {
      goal: "Goal: every student contributes at least once per discussion, in writing or aloud.",
      co_plan: "Planned think-pair-share with a collaborative board so every answer is visible.",
      teach: "Modeled the routine in one class period.",
      observe: "Twenty-six of twenty-eight students posted; several then spoke aloud.",
      reflect: "Students who never speak wrote thoughtful answers. I want to keep this routine.",
      next_step: "Use the routine twice a week; revisit in a month.",
    },
  },
  {
    title: "Reading response portfolios",
    levels: ["elementary", "middle"],
    startingPoint: "outcome",
    startingText: "Students can show how their reading responses improved over the quarter.",
    teachStage: "co_teach",
    steps: {
      goal: "Outcome: a portfolio with three responses and a reflection on growth.",
      co_plan: "Planned the portfolio structure and a simple rubric with the teacher.",
      teach: "Co-taught the first portfolio lesson with a second-grade class.",
      observe: "Students chose their best response and said why.",
      reflect: "My students were proud to show their work to their families.",
      next_step: "Share the portfolios at conferences; add audio reflections next quarter.",
    },
  },
  {
    title: "Homework nobody finishes",
    levels: ["middle", "high", "other"],
    startingPoint: "problem",
    startingText: "Most students do not finish the homework, and I find out only when I collect it.",
    teachStage: "model",
    steps: {
      goal: "Goal: students and teacher see progress during the week, not at the end.",
      co_plan: "Planned short practice sets with instant feedback, checked each morning.",
      teach: "Modeled how to read the results dashboard and group students for support.",
      observe: "The teacher pulled a small group based on the morning results.",
      reflect: "Seeing who is stuck on Tuesday instead of Friday is a big change.",
      next_step: "Keep the morning check; add a choice of practice sets.",
    },
  },
];
