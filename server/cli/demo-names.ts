// Name lists for the fictional demo district. Every person and school they produce is invented;
// the lists mix the given and family names common across a diverse US district, so a demo
// directory looks like a real one (and exercises accents, apostrophes and hyphens in search and sort).

/** Given names typical of adults on staff. */
export const STAFF_GIVEN_NAMES = [
  "Aaliyah", "Abdul", "Adriana", "Ahmed", "Aisha", "Alejandro", "Alicia", "Amanda", "Amit", "Ana",
  "Andrea", "Andrew", "Angela", "Anh", "Anthony", "Arjun", "Beatriz", "Benjamin", "Brandon", "Brian",
  "Camille", "Carlos", "Carmen", "Catherine", "Chen", "Christina", "Christopher", "Claudia", "Colleen", "Courtney",
  "Daniel", "Darius", "David", "Deborah", "Deepa", "Denise", "Derek", "Diana", "Dmitri", "Elena",
  "Elizabeth", "Emily", "Eric", "Esperanza", "Fatima", "Felipe", "Fernando", "Gabriela", "Grace", "Hannah",
  "Hiroshi", "Hye-jin", "Ibrahim", "Imani", "Isabel", "Jacqueline", "Jamal", "James", "Jasmine", "Javier",
  "Jennifer", "Jessica", "Joanna", "John", "Jorge", "José", "Joseph", "Julia", "Karen", "Keisha",
  "Kenji", "Kevin", "Kimberly", "Kwame", "Latoya", "Laura", "Leticia", "Li", "Linda", "Lucía",
  "Malik", "Marcus", "Margaret", "María", "Mark", "Matthew", "Megan", "Mei", "Michael", "Michelle",
  "Miguel", "Min-jun", "Mohammed", "Monique", "Nadia", "Nathan", "Nicole", "Nkechi", "Olga", "Omar",
  "Patricia", "Paul", "Priya", "Rachel", "Rafael", "Rajesh", "Rebecca", "Renée", "Ricardo", "Robert",
  "Rosa", "Ryan", "Samantha", "Samuel", "Sandra", "Sarah", "Sean", "Shanice", "Siobhan", "Sofia",
  "Stephanie", "Steven", "Sunita", "Tamika", "Thomas", "Tiffany", "Timothy", "Tomás", "Trang", "Tyrone",
  "Valentina", "Vanessa", "Victor", "Wei", "William", "Xavier", "Yolanda", "Yusuf", "Zainab", "Zoë",
] as const;

/** Given names typical of today's K–12 students. */
export const STUDENT_GIVEN_NAMES = [
  "Aarav", "Abigail", "Adam", "Aiden", "Alexander", "Aliyah", "Amara", "Amelia", "Amir", "Angel",
  "Anika", "Aria", "Aubrey", "Ava", "Axel", "Ayaan", "Bella", "Brooklyn", "Caleb", "Camila",
  "Carter", "Chloe", "Daniela", "Darius", "Diego", "Dylan", "Eleanor", "Elijah", "Elise", "Ella",
  "Emilia", "Emma", "Ethan", "Evelyn", "Ezra", "Fatima", "Finn", "Gabriel", "Genesis", "Gianna",
  "Hana", "Harper", "Hazel", "Henry", "Hudson", "Ibrahim", "Isaac", "Isabella", "Isaiah", "Ivy",
  "Jackson", "Jade", "Jayden", "Jia", "Joaquín", "Jordan", "Josiah", "Julian", "Kai", "Kayla",
  "Kenji", "Khalil", "Layla", "Leah", "Leilani", "Leo", "Levi", "Liam", "Lily", "Logan",
  "Lucas", "Luna", "Madison", "Malia", "Mateo", "Maya", "Micah", "Mila", "Mohammed", "Naomi",
  "Nathaniel", "Nia", "Noah", "Nora", "Oliver", "Olivia", "Omar", "Owen", "Penelope", "Priya",
  "Quinn", "Rahul", "Riley", "Rowan", "Ruby", "Samir", "Santiago", "Sara", "Savannah", "Sebastián",
  "Seo-yeon", "Sienna", "Sofía", "Stella", "Theo", "Valeria", "Violet", "Wyatt", "Ximena", "Yara",
  "Yusuf", "Zara", "Zion", "Zoe", "Aditi", "Bao", "Chidi", "Dalia", "Emeka", "Freya",
] as const;

/** Family names, shared by staff and students. */
export const FAMILY_NAMES = [
  "Abbott", "Acosta", "Adeyemi", "Agarwal", "Ahmed", "Ali", "Allen", "Alvarez", "Anderson", "Bailey",
  "Baker", "Banerjee", "Bell", "Bennett", "Bianchi", "Brooks", "Brown", "Bui", "Campbell", "Carter",
  "Castillo", "Castro", "Chavez", "Chen", "Cho", "Clark", "Collins", "Cook", "Cooper", "Cruz",
  "Das", "Davis", "Díaz", "Dubois", "Edwards", "Evans", "Fernández", "Fisher", "Flores", "Foster",
  "García", "Goldberg", "Gómez", "González", "Gray", "Green", "Gupta", "Gutiérrez", "Hall", "Harris",
  "Hassan", "Hernández", "Hill", "Hoang", "Howard", "Hughes", "Ibrahim", "Ito", "Jackson", "James",
  "Jenkins", "Jiménez", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "Kim", "King", "Kowalski",
  "Kumar", "Le", "Lee", "Lewis", "Li", "Lin", "Liu", "Long", "López", "Martin",
  "Martínez", "Mendoza", "Miller", "Mitchell", "Moore", "Morales", "Morgan", "Morris", "Murphy", "Murray",
  "Nakamura", "Nelson", "Nguyen", "Novak", "O'Brien", "O'Connor", "Okafor", "Okonkwo", "Olsen", "Ortiz",
  "Owusu", "Park", "Patel", "Perez", "Perry", "Peterson", "Pham", "Phillips", "Price", "Ramírez",
  "Ramos", "Reddy", "Reed", "Reyes", "Richardson", "Rivera", "Roberts", "Robinson", "Rodríguez", "Rogers",
  "Romero", "Ross", "Russell", "Sánchez", "Sanders", "Santos", "Schmidt", "Scott", "Shah", "Sharma",
  "Silva", "Singh", "Smith", "Sokolov", "Stewart", "Sullivan", "Suzuki", "Tanaka", "Taylor", "Thomas",
  "Thompson", "Torres", "Tran", "Turner", "Vargas", "Vasquez", "Vo", "Walker", "Wang", "Ward",
  "Washington", "Watson", "White", "Williams", "Wilson", "Wong", "Wright", "Wu", "Yamamoto", "Yang",
  "Yilmaz", "Young", "Zhang", "Zhao", "Al-Sayed", "Ben-David", "Diallo", "Mensah", "Petrov", "Van der Berg",
] as const;

/** Place names the schools are named after (each level draws its own shuffle of them). */
export const SCHOOL_PLACE_NAMES = [
  "Cedar Ridge", "Lincoln", "Riverside", "Harbor", "Maple Grove", "Oak Hollow", "Willow Creek", "Sunnyside",
  "Jefferson", "Roosevelt", "Lakeview", "Pine Crest", "Eastgate", "Westwood", "Northfield", "Southridge",
  "Meadowbrook", "Hillcrest", "Fairview", "Valley View", "Brookside", "Stonebridge", "Silver Lake", "Redwood",
  "Aspen Heights", "Bayside", "Canyon Vista", "Clearwater", "Cottonwood", "Deer Park", "Eagle Point", "Evergreen",
  "Franklin", "Garfield", "Glenwood", "Granite Falls", "Hawthorne", "Highland", "Ironwood", "Juniper",
  "Kennedy", "Lakeside", "Madison", "Mesa Verde", "Mill Creek", "Mountain View", "Orchard Park", "Parkside",
  "Prairie Wind", "Quail Run", "Rosa Parks", "Sequoia", "Shoreline", "Spring Valley", "Summit", "Thurgood Marshall",
  "Tamarack", "Union", "Vista del Sol", "Washington", "Whispering Pines", "Wildflower", "César Chávez", "Mae Jemison",
] as const;

/** Kinds of "other" (secondary) schools a district runs besides its comprehensive middle and high schools. */
export const OTHER_SCHOOL_KINDS = [
  "Alternative Academy",
  "Virtual Academy",
  "Career & Technical Center",
  "Community Day School",
  "STEM Academy",
  "Newcomer Academy",
  "Arts Academy",
  "Independent Study Program",
] as const;
