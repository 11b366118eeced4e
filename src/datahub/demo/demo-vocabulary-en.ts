/**
 * English word lists for generated demo records. Names of people, companies and schools
 * are assembled from these parts; any likeness to a real person or organisation is
 * coincidence.
 */

export const EN_FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Matthew', 'Nancy',
  'Anthony', 'Lisa', 'Mark', 'Sandra', 'Steven', 'Ashley', 'Andrew', 'Emily', 'Joshua', 'Michelle', 'Kevin',
  'Amanda', 'Brian', 'Melissa', 'Priya', 'Arjun', 'Aisha', 'Omar', 'Sofia', 'Mateo', 'Lucas', 'Chloe', 'Hannah',
  'Ethan', 'Noah', 'Olivia', 'Liam', 'Ava', 'Mia', 'Leo', 'Nora', 'Yuki', 'Kenji', 'Min-jun', 'Seo-yeon',
  'Wei', 'Mei', 'Ravi', 'Fatima', 'Diego', 'Camila', 'Elena', 'Ivan', 'Anna', 'Jonas', 'Freya', 'Tariq', 'Grace',
];

export const EN_LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Wilson',
  'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker',
  'Nelson', 'Carter', 'Mitchell', 'Patel', 'Shah', 'Khan', 'Nguyen', 'Kim', 'Park', 'Chen', 'Wang', 'Lin', 'Tanaka',
  'Sato', 'Müller', 'Schmidt', 'Rossi', 'Novak', 'Kowalski', 'Silva', 'Costa', 'Okafor', 'Mensah', 'Haddad',
  'Cohen', 'Murphy', 'Kelly', 'Sullivan', 'Reed', 'Cook', 'Morgan', 'Bell', 'Cooper', 'Ward', 'Brooks', 'Gray',
];

/** Two morphemes make an invented company root, e.g. `Cobalt` + `ridge`. */
export const EN_COMPANY_HEADS = [
  'Ash', 'Birch', 'Cedar', 'Alder', 'Bright', 'Clear', 'Cobalt', 'Copper', 'Crest', 'Ever', 'Fair', 'Fern',
  'Granite', 'Harbor', 'Iron', 'Juniper', 'Lake', 'Linden', 'Maple', 'North', 'Quartz', 'River', 'Silver',
  'Stone', 'Summit', 'Tide', 'Willow', 'Amber', 'Kestrel', 'Lumen', 'Nova', 'Orchid', 'Pebble', 'Saffron',
  'Talon', 'Vesper', 'Wren', 'Zephyr', 'Indigo', 'Marble',
];
export const EN_COMPANY_TAILS = [
  'field', 'gate', 'wood', 'bridge', 'water', 'point', 'ridge', 'light', 'path', 'view', 'line', 'vale', 'brook',
  'peak', 'forge', 'haven', 'wave', 'mont', 'stead', 'reach',
];
export const EN_COMPANY_SUFFIXES = ['Inc.', 'Ltd.', 'Group', 'LLC', '', '', ''];

/** [city, weight]; weights lean to the firm's main markets. */
export const EN_CITIES: [string, number][] = [
  ['New York', 12], ['San Francisco', 10], ['Seattle', 6], ['Austin', 5], ['Boston', 5], ['Chicago', 5],
  ['Los Angeles', 5], ['London', 9], ['Singapore', 7], ['Toronto', 4], ['Berlin', 3], ['Sydney', 3],
  ['Shanghai', 2], ['Hong Kong', 3],
];

export const EN_SCHOOL_PATTERNS = ['{root} University', 'University of {root}', '{root} Institute of Technology', '{root} State University', '{root} College'];
export const EN_SCHOOL_ROOTS = [
  'Harrowgate', 'Elmstead', 'Linmoor', 'Ashcombe', 'Bramhill', 'Calder Bay', 'Dunmere', 'Eastbrook', 'Fallowmere',
  'Glenwick', 'Halloway', 'Ivybridge Vale', 'Kelvinmoor', 'Larchfield', 'Merriton', 'Northcote Hills', 'Oakhurst Vale',
  'Pemberly Downs', 'Quillon', 'Ravensworth', 'Sable Point', 'Thornbury Heath', 'Umberfield', 'Westmarch',
];

export const EN_DEGREES = ['Bachelor', 'Master', 'PhD', 'Associate'] as const;

/** Study fields per O*NET major group. */
export const EN_FIELDS: Record<string, string[]> = {
  '11': ['Business Administration', 'Economics', 'Management'],
  '13': ['Accounting', 'Finance', 'Economics', 'Human Resource Management', 'Statistics'],
  '15': ['Computer Science', 'Software Engineering', 'Mathematics', 'Data Science', 'Electrical Engineering'],
  '17': ['Mechanical Engineering', 'Electrical Engineering', 'Civil Engineering', 'Materials Science', 'Industrial Engineering'],
  '19': ['Biology', 'Chemistry', 'Physics', 'Biochemistry', 'Environmental Science'],
  '23': ['Law'],
  '25': ['Education', 'English Literature', 'Psychology'],
  '27': ['Graphic Design', 'Journalism', 'Communications', 'Film Studies'],
  '29': ['Medicine', 'Nursing', 'Pharmacy', 'Public Health'],
  '41': ['Marketing', 'Business Administration', 'International Trade'],
  '43': ['Business Administration', 'Logistics', 'Communications'],
  '47': ['Construction Management', 'Civil Engineering'],
  '49': ['Mechanical Technology', 'Electrical Technology'],
  '51': ['Industrial Technology', 'Mechanical Engineering'],
  '53': ['Logistics', 'Supply Chain Management'],
};

/** Seniority words for English titles. */
export const EN_SENIORITY_PREFIX: Partial<Record<string, string[]>> = {
  JUNIOR: ['Junior', 'Associate'],
  SENIOR: ['Senior', 'Sr.'],
  LEAD: ['Lead'],
  PRINCIPAL: ['Principal'],
};

/** Director-level titles per O*NET major group of the career (O*NET's own lists skew to public office). */
export const EN_DIRECTOR_TITLES: Record<string, string[]> = {
  '11': ['Director of Operations', 'General Manager'],
  '13': ['Finance Director', 'Director of Finance', 'Head of Risk'],
  '15': ['Director of Engineering', 'Head of Data', 'Head of Engineering', 'IT Director'],
  '17': ['Engineering Director', 'Head of R&D'],
  '19': ['Research Director', 'Head of Research'],
  '23': ['Legal Director', 'General Counsel'],
  '25': ['Director of Education', 'Academic Director'],
  '27': ['Creative Director', 'Head of Content'],
  '29': ['Medical Director', 'Director of Nursing'],
  '41': ['Sales Director', 'Head of Sales'],
  '43': ['Director of Administration', 'Office Director'],
  '47': ['Construction Director'],
  '49': ['Maintenance Director'],
  '51': ['Plant Director', 'Director of Manufacturing'],
  '53': ['Logistics Director', 'Head of Supply Chain'],
};

export const EN_EXECUTIVE_TITLES: Record<string, string[]> = {
  '11': ['Chief Operating Officer', 'Chief Executive Officer'],
  '13': ['Chief Financial Officer'],
  '15': ['Chief Technology Officer', 'Chief Information Officer', 'VP of Engineering'],
  '17': ['VP of Engineering', 'Chief Technology Officer'],
  '19': ['Chief Scientific Officer'],
  '23': ['Chief Legal Officer'],
  '25': ['Chief Academic Officer'],
  '27': ['Chief Creative Officer', 'Chief Marketing Officer'],
  '29': ['Chief Medical Officer'],
  '41': ['Chief Revenue Officer', 'VP of Sales'],
  '43': ['Chief Administrative Officer'],
  '47': ['VP of Construction'],
  '49': ['VP of Operations'],
  '51': ['VP of Manufacturing'],
  '53': ['Chief Supply Chain Officer'],
};
