// A modest list of given and family names, most common first (roughly US census order, with
// names from the communities a large district serves). Picked with a Zipf-like weight so common
// names are common and 3-letter prefix searches have realistic selectivity. A few carry accents,
// so the folded search columns are exercised.

export const GIVEN_NAMES: readonly string[] = [
  "James", "Mary", "Michael", "Patricia", "Robert", "Jennifer", "John", "Linda", "David", "Elizabeth",
  "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen",
  "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Sandra", "Anthony", "Betty", "Mark", "Ashley",
  "Donald", "Emily", "Steven", "Kimberly", "Andrew", "Margaret", "Paul", "Donna", "Joshua", "Michelle",
  "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
  "Jason", "Rebecca", "George", "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Dorothy",
  "Jacob", "Amy", "Nicholas", "Kathleen", "Gary", "Angela", "Eric", "Shirley", "Jonathan", "Emma",
  "Stephen", "Brenda", "Larry", "Pamela", "Justin", "Nicole", "Scott", "Anna", "Brandon", "Samantha",
  "Benjamin", "Katherine", "Samuel", "Christine", "Gregory", "Debra", "Alexander", "Rachel", "Patrick", "Carolyn",
  "Frank", "Janet", "Raymond", "Maria", "Jack", "Olivia", "Dennis", "Heather", "Jerry", "Helen",
  "Tyler", "Catherine", "Aaron", "Diane", "José", "Julie", "Adam", "Victoria", "Nathan", "Joyce",
  "Henry", "Lauren", "Zachary", "Kelly", "Douglas", "Christina", "Peter", "Ruth", "Kyle", "Joan",
  "Noah", "Virginia", "Ethan", "Judith", "Jeremy", "Evelyn", "Christian", "Hannah", "Walter", "Andrea",
  "Keith", "Megan", "Austin", "Cheryl", "Roger", "Jacqueline", "Terry", "Madison", "Sean", "Teresa",
  "Gerald", "Abigail", "Carl", "Sophia", "Dylan", "Martha", "Harold", "Sara", "Jordan", "Gloria",
  "Jesse", "Janice", "Bryan", "Kathryn", "Lawrence", "Ann", "Arthur", "Isabella", "Gabriel", "Judy",
  "Bruce", "Charlotte", "Logan", "Julia", "Billy", "Grace", "Joe", "Amber", "Alan", "Alice",
  "Juan", "Jean", "Elijah", "Denise", "Willie", "Frances", "Albert", "Danielle", "Wayne", "Marilyn",
  "Randy", "Natalie", "Mason", "Beverly", "Vincent", "Diana", "Liam", "Brittany", "Roy", "Theresa",
  "Bobby", "Kayla", "Caleb", "Alexis", "Bradley", "Doris", "Russell", "Lori", "Lucas", "Tiffany",
  "Zoë", "Aaliyah", "Muhammad", "Wei", "Priya", "Aarav", "Chloé", "Mateo", "Sofía", "Diego",
  "Valentina", "Luis", "Camila", "Carlos", "Ximena", "Hiroshi", "Yuki", "Ngozi", "Oluwaseun", "Fatima",
  "Ahmed", "Mei", "Jae", "Min-jun", "Anh", "Thanh", "Marcus", "Mariana", "Marisol", "Martín",
];

export const FAMILY_NAMES: readonly string[] = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
  "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
  "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
  "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
  "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
  "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jiménez",
  "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
  "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
  "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
  "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
  "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen",
  "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
  "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Muñoz", "Hunt", "Hicks",
  "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
  "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
  "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
  "Arnold", "Pierce", "Vázquez", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott",
  "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray",
  "Delgado", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Peña", "Richards", "Willis", "Carpenter",
  "Lawrence", "Sandoval", "Müller", "O'Brien", "Nakamura", "Okafor", "Singh", "Wang", "Li", "Zhang",
  "Liu", "Park", "Choi", "Ahmed", "Khan", "Ali", "Haddad", "Novak", "Kowalski", "Dubois",
  "Rossi", "Schneider", "Bianchi", "Larsen", "Johansson", "Ivanova", "Petrov", "Adeyemi", "Mensah", "Dlamini",
  "Takahashi", "Sato", "Yamamoto", "Pham", "Le", "Hoang", "Marquez", "Mahoney", "Marino", "Sandberg",
];

/** Place names for schools ("Lincoln Elementary"). */
export const PLACE_NAMES: readonly string[] = [
  "Lincoln", "Washington", "Jefferson", "Roosevelt", "Franklin", "Madison", "Kennedy", "Garfield", "Hamilton", "Jackson",
  "Oak Grove", "Maple Ridge", "Cedar Park", "Pine Hill", "Willow Creek", "Riverside", "Lakeview", "Hillcrest", "Meadowbrook", "Sunnyside",
  "Eastside", "Westview", "Northgate", "Southwood", "Central", "Highland", "Valley View", "Brookside", "Fairview", "Greenfield",
  "Parkview", "Woodland", "Springdale", "Rosewood", "Stonebridge", "Clearwater", "Silver Lake", "Mountain View", "Bayside", "Harbor",
  "King", "Chávez", "Douglass", "Tubman", "Parks", "Carver", "Curie", "Einstein", "Sotomayor", "Mandela",
];
