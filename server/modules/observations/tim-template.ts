import type { TRubricDefinition } from "../../../shared/schemas/observations.js";

// The default rubric: the Technology Integration Matrix's five characteristics of the learning
// environment and five levels of integration. The descriptors are our own short words for what an
// observer sees in each cell, not the TIM's published text.

export const TIM_KEY = "tim";
export const TIM_NAME = "Technology Integration Matrix";
export const TIM_DESCRIPTION =
  "Five characteristics of the learning environment, each observed at one of five levels of technology integration (or not observed). " +
  "Levels are ordinal: report distributions and the share at a level or above, never an average.";

export const TIM_DEFINITION: TRubricDefinition = {
  dimensions: [
    { key: "active", name: "Active", description: "Students use technology to do the work themselves rather than watch it being done." },
    { key: "collaborative", name: "Collaborative", description: "Students use technology to work with others, in the room and beyond it." },
    { key: "constructive", name: "Constructive", description: "Students use technology to build their own understanding and connect it to what they know." },
    { key: "authentic", name: "Authentic", description: "Students use technology on tasks that matter outside school." },
    { key: "goal_directed", name: "Goal-Directed", description: "Students use technology to set goals, plan, monitor and reflect on their progress." },
  ],
  levels: [
    { key: "entry", name: "Entry", description: "The teacher uses technology to deliver content; students receive it." },
    { key: "adoption", name: "Adoption", description: "The teacher directs students in conventional, step-by-step use of tools." },
    { key: "adaptation", name: "Adaptation", description: "Students use tools on their own and adapt them to the task." },
    { key: "infusion", name: "Infusion", description: "Students choose among tools to get the work done." },
    { key: "transformation", name: "Transformation", description: "Students use tools for work that would be out of reach without them." },
  ],
  descriptors: {
    active: [
      "Students watch or listen while the teacher presents with technology.",
      "Students practise with a tool the teacher chose, following set steps.",
      "Students use familiar tools on their own and begin to explore them.",
      "Students pick the tools they need and use them throughout the lesson.",
      "Students pursue open-ended work, reaching for tools in ways the teacher did not plan.",
    ],
    collaborative: [
      "Students work alone; any technology is used individually.",
      "The teacher sets up shared work in a tool and tells students how to use it together.",
      "Students choose on their own to use tools to work with classmates.",
      "Students decide how and with which tools to collaborate, and manage the shared work.",
      "Students work with peers or experts beyond the classroom through technology.",
    ],
    constructive: [
      "Technology delivers information students take in as given.",
      "Students use a tool to organise or record what they are learning, as directed.",
      "Students use tools to build their own representations of ideas.",
      "Students choose tools to build, test and revise their understanding.",
      "Students use tools to create knowledge and artefacts that go beyond the assignment.",
    ],
    authentic: [
      "Tasks with technology are exercises with no link to the world outside school.",
      "Students follow guided activities with some connection to real situations.",
      "Students use tools on problems drawn from real life, with some room to adapt.",
      "Students choose tools to work on real problems as practitioners would.",
      "Students use tools on real problems with real audiences, with impact beyond the class.",
    ],
    goal_directed: [
      "The teacher sets goals and tracks progress; students do the assigned tasks.",
      "Students use a tool the teacher gives them to plan or check their work.",
      "Students use tools to set their own goals and monitor progress, with guidance.",
      "Students pick tools to plan, monitor and evaluate their own work.",
      "Students set ambitious goals and use tools to plan, track and reflect on their learning independently.",
    ],
  },
};

/** A starting list of apps and tools for "technology in use"; each district edits its own. */
export const DEFAULT_APPS: readonly string[] = [
  "Microsoft Teams",
  "OneNote",
  "Word",
  "PowerPoint",
  "Excel",
  "Forms",
  "Sway",
  "Google Classroom",
  "Google Docs",
  "Google Slides",
  "Interactive whiteboard",
  "Document camera",
  "Video",
  "Coding tools",
];
