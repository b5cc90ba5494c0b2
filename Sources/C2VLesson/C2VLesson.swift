// C2VLesson
